// Plist dates: CF absolute time (double seconds since 2001-01-01T00:00:00Z) to and from the
// ISO 8601 text of <date>. Proleptic Gregorian calendar, UTC, whole seconds.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "entsig/plist.h"
#include "xml_scalars.h"

namespace entsig::plist {
namespace xml_detail {
namespace {

// Days from 1970-01-01 to a civil date, and back (H. Hinnant's era arithmetic); exact for
// every year an int64 day count can hold.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                                 // [0, 399]
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         // [0, 146096]
  return era * 146097 + doe - 719468;
}

struct Civil {
  std::int64_t year;
  int month;
  int day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

constexpr std::int64_t kDaysFrom1970To2001 = 11323;  // days_from_civil(2001, 1, 1)
constexpr std::int64_t kMaxLenientYear = 999'999'999;  // 9 digits: what the lenient grammar reads

// Reads exactly `count` digits at text[pos]; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, std::int64_t& out) {
  if (pos + count > text.size()) return false;
  std::int64_t v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return false;
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool is_leap_year(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

double civil_to_cf_seconds(std::int64_t year, int month, int day, int hour, int minute, int second) {
  const std::int64_t days = days_from_civil(year, month, day) - kDaysFrom1970To2001;
  return static_cast<double>(days) * 86400.0 + hour * 3600.0 + minute * 60.0 + second;
}

// CF's parseDateTag also requires "ss" then 'Z' with nothing around it (A1 #46, #48-50), so
// the fixed shape is common ground; CF skips range checks (A1 #47) and the kernel has no
// <date> at all, so out-of-range fields are refused in both modes.
bool parse_date(std::string_view text, bool lenient, double& out, TextFailure& failure) {
  std::size_t pos = 0;
  bool negative = false;
  if (lenient && !text.empty() && text[0] == '-') {  // A1 #51: CF's yearIsNegative
    negative = true;
    pos = 1;
  }
  std::size_t year_digits = 0;
  while (pos + year_digits < text.size() && is_digit(text[pos + year_digits])) ++year_digits;
  const std::size_t max_year_digits = lenient ? 9 : 4;
  if (year_digits < 4 || year_digits > max_year_digits) {
    failure = {ErrorCode::plist_xml_date_syntax, pos + std::min(year_digits, max_year_digits)};
    return false;
  }
  std::int64_t year = 0;
  read_digits(text, pos, year_digits, year);
  const std::size_t base = pos + year_digits;  // index of the '-' after the year
  // The rest is fixed: -MM-DDTHH:MM:SSZ (16 characters).
  static constexpr std::string_view kShape = "-00-00T00:00:00Z";
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const std::size_t at = base + i;
    if (at >= text.size()) {
      failure = {ErrorCode::plist_xml_date_syntax, text.size()};
      return false;
    }
    const bool ok = kShape[i] == '0' ? is_digit(text[at]) : text[at] == kShape[i];
    if (!ok) {
      failure = {ErrorCode::plist_xml_date_syntax, at};
      return false;
    }
  }
  if (base + kShape.size() != text.size()) {
    failure = {ErrorCode::plist_xml_date_syntax, base + kShape.size()};
    return false;
  }
  std::int64_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
  read_digits(text, base + 1, 2, month);
  read_digits(text, base + 4, 2, day);
  read_digits(text, base + 7, 2, hour);
  read_digits(text, base + 10, 2, minute);
  read_digits(text, base + 13, 2, second);
  if (negative) year = -year;
  if (!lenient && year < 1) {
    failure = {ErrorCode::plist_xml_date_out_of_range, 0};
    return false;
  }
  std::size_t bad = 0;
  if (month < 1 || month > 12)
    bad = base + 1;
  else if (day < 1 || day > days_in_month(year, static_cast<int>(month)))
    bad = base + 4;
  else if (hour > 23)
    bad = base + 7;
  else if (minute > 59)
    bad = base + 10;
  else if (second > 59)  // no leap seconds: CF absolute time has none
    bad = base + 13;
  if (bad != 0) {
    failure = {ErrorCode::plist_xml_date_out_of_range, bad};
    return false;
  }
  out = civil_to_cf_seconds(year, static_cast<int>(month), static_cast<int>(day),
                            static_cast<int>(hour), static_cast<int>(minute), static_cast<int>(second));
  return true;
}

}  // namespace xml_detail

std::optional<double> parse_iso8601_strict(std::string_view text) {
  double out = 0;
  xml_detail::TextFailure failure;
  if (!xml_detail::parse_date(text, false, out, failure)) return std::nullopt;
  return out;
}

std::string format_iso8601(double seconds) {
  if (!std::isfinite(seconds)) return {};
  // Years beyond +-999,999,999 start past ~3.2e16 s; checking first keeps the casts exact.
  constexpr double kLimit = 4.0e16;
  if (seconds > kLimit || seconds < -kLimit) return {};
  const auto whole = static_cast<std::int64_t>(std::floor(seconds));
  std::int64_t days = whole / 86400;
  std::int64_t rest = whole % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  const auto civil = xml_detail::civil_from_days(days + xml_detail::kDaysFrom1970To2001);
  if (civil.year > xml_detail::kMaxLenientYear || civil.year < -xml_detail::kMaxLenientYear) return {};
  const int hour = static_cast<int>(rest / 3600);
  const int minute = static_cast<int>(rest / 60 % 60);
  const int second = static_cast<int>(rest % 60);
  char buf[48];
  const bool sign = civil.year < 1 && civil.year != 0;
  const long long year_abs = static_cast<long long>(civil.year < 0 ? -civil.year : civil.year);
  std::snprintf(buf, sizeof buf, "%s%04lld-%02d-%02dT%02d:%02d:%02dZ", sign ? "-" : "", year_abs,
                civil.month, civil.day, hour, minute, second);
  return buf;
}

}  // namespace entsig::plist
