// The known entitlements and their documented types. Sources are the titles of Apple's pages:
// "Hardened Runtime" names the runtime exceptions and resource-access entitlements; the others
// come from the Bundle Resources entitlement pages of their area. The table is sorted by key
// (checked at compile time) so lookup can bisect.
#include <algorithm>
#include <iterator>

#include "entsig/entitlements.h"

namespace entsig::entitlements {
namespace {

using enum ValueType;

constexpr std::string_view kHardenedRuntime = "Hardened Runtime";
constexpr std::string_view kAppSandbox = "App Sandbox";
constexpr std::string_view kDriverKit = "DriverKit";
constexpr std::string_view kSystemExtensions = "System Extensions";
constexpr std::string_view kEntitlements = "Entitlements";

constexpr KnownEntitlement kCatalogue[] = {
    {"aps-environment", string, Group::identity, kEntitlements},
    {"com.apple.application-identifier", string, Group::identity, kEntitlements},
    {"com.apple.developer.aps-environment", string, Group::identity, kEntitlements},
    {"com.apple.developer.associated-domains", array_of_strings, Group::identity, kEntitlements},
    {"com.apple.developer.driverkit", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.allow-any-userclient-access", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.communicates-with-drivers", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.family.audio", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.family.hid.device", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.family.hid.eventservice", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.family.hid.virtual.device", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.transport.hid", boolean, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.transport.usb", array_of_dicts, Group::driverkit, kDriverKit},
    {"com.apple.developer.driverkit.userclient-access", array_of_strings, Group::driverkit, kDriverKit},
    {"com.apple.developer.endpoint-security.client", boolean, Group::system_extension, "Endpoint Security"},
    {"com.apple.developer.networking.networkextension", array_of_strings, Group::system_extension, kEntitlements},
    {"com.apple.developer.system-extension.install", boolean, Group::system_extension, kSystemExtensions},
    {"com.apple.developer.system-extension.redistributable", boolean, Group::system_extension, kSystemExtensions},
    {"com.apple.developer.team-identifier", string, Group::identity, kEntitlements},
    {"com.apple.security.app-sandbox", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.application-groups", array_of_strings, Group::sandbox, kEntitlements},
    {"com.apple.security.automation.apple-events", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.cs.allow-dyld-environment-variables", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.cs.allow-jit", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.cs.allow-unsigned-executable-memory", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.cs.debugger", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.cs.disable-executable-page-protection", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.cs.disable-library-validation", boolean, Group::runtime_exception, kHardenedRuntime},
    {"com.apple.security.device.audio-input", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.device.bluetooth", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.device.camera", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.device.print", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.device.usb", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.bookmarks.app-scope", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.bookmarks.document-scope", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.downloads.read-only", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.downloads.read-write", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.movies.read-only", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.movies.read-write", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.music.read-only", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.music.read-write", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.pictures.read-only", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.pictures.read-write", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.user-selected.executable", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.user-selected.read-only", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.files.user-selected.read-write", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.get-task-allow", boolean, Group::sandbox, kEntitlements},
    {"com.apple.security.hypervisor", boolean, Group::virtualization, kEntitlements},
    {"com.apple.security.inherit", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.network.client", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.network.server", boolean, Group::sandbox, kAppSandbox},
    {"com.apple.security.personal-information.addressbook", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.personal-information.calendars", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.personal-information.location", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.personal-information.photos-library", boolean, Group::resource_access, kHardenedRuntime},
    {"com.apple.security.virtualization", boolean, Group::virtualization, kEntitlements},
    {"com.apple.vm.device-access", boolean, Group::virtualization, kEntitlements},
    {"com.apple.vm.hypervisor", boolean, Group::virtualization, kEntitlements},
    {"com.apple.vm.networking", boolean, Group::virtualization, kEntitlements},
    {"keychain-access-groups", array_of_strings, Group::identity, kEntitlements},
};

constexpr bool sorted_and_unique() {
  for (std::size_t i = 1; i < std::size(kCatalogue); ++i)
    if (!(kCatalogue[i - 1].key < kCatalogue[i].key)) return false;
  return true;
}
static_assert(sorted_and_unique(), "catalogue keys must be sorted and unique");

}  // namespace

std::span<const KnownEntitlement> catalogue() { return kCatalogue; }

const KnownEntitlement* find_known(std::string_view key) {
  const auto* end = std::end(kCatalogue);
  const auto* it = std::lower_bound(std::begin(kCatalogue), end, key,
                                    [](const KnownEntitlement& e, std::string_view k) { return e.key < k; });
  return it != end && it->key == key ? it : nullptr;
}

std::string_view value_type_name(ValueType type) {
  switch (type) {
    case boolean: return "Boolean";
    case string: return "string";
    case array_of_strings: return "array of strings";
    case array_of_dicts: return "array of dictionaries";
    case dict: return "dictionary";
  }
  return "unknown";
}

bool has_type(const plist::Value& value, ValueType type) {
  auto all_of_type = [&](plist::Type element) {
    if (!value.is(plist::Type::array)) return false;
    const auto items = value.as_array();
    return std::all_of(items.begin(), items.end(), [&](const plist::Value& v) { return v.is(element); });
  };
  switch (type) {
    case boolean: return value.is(plist::Type::boolean);
    case string: return value.is(plist::Type::string);
    case array_of_strings: return all_of_type(plist::Type::string);
    case array_of_dicts: return all_of_type(plist::Type::dict);
    case dict: return value.is(plist::Type::dict);
  }
  return false;
}

std::string_view group_name(Group group) {
  switch (group) {
    case Group::runtime_exception: return "runtime exception";
    case Group::resource_access: return "resource access";
    case Group::sandbox: return "sandbox";
    case Group::driverkit: return "DriverKit";
    case Group::system_extension: return "system extension";
    case Group::identity: return "identity";
    case Group::virtualization: return "virtualization";
  }
  return "unknown";
}

}  // namespace entsig::entitlements
