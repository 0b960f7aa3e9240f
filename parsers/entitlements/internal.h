// Shared by the files of the entitlements module; not public API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "entsig/entitlements.h"

namespace entsig::entitlements {

// Appends `text` with quotes, backslashes and control characters escaped (one-line output).
void append_escaped(std::string& out, std::string_view text);
// A key as messages show it: escaped as above, without quotes.
std::string display_key(std::string_view key);

// Levenshtein distance between a and b if it is at most `limit`, else limit + 1. Costs
// O(|a| * (2 * limit + 1)): only the diagonal band that can stay under the limit is filled.
std::size_t edit_distance_at_most(std::string_view a, std::string_view b, std::size_t limit);

// A finding of `rule_id` at the rule's default severity.
Finding make_finding(std::string_view rule_id, std::string key, std::string message);

// One function per rule group; each appends its findings. `root` is a dict.
void check_false_values(const plist::Value& root, std::vector<Finding>& out);
void check_types(const plist::Value& root, std::vector<Finding>& out);  // non-boolean, wrong-type
void check_library(const plist::Value& root, const Context& context, std::vector<Finding>& out);
void check_system_extension(const plist::Value& root, const Context& context, std::vector<Finding>& out);
void check_runtime(const Context& context, std::vector<Finding>& out);
void check_exceptions(const plist::Value& root, std::vector<Finding>& out);
void check_unknown_keys(const plist::Value& root, std::vector<Finding>& out);
void check_xml_der(const plist::Value& xml, const plist::Value& der, std::vector<Finding>& out);

// True when `root` has `key` set to Boolean true (what grants a Boolean entitlement).
bool is_true(const plist::Value& root, std::string_view key);

}  // namespace entsig::entitlements
