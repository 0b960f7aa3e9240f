// entsig conformance adapter for GNUstep base's NSPropertyListSerialization
// (conformance/ADAPTERS.md): one case per process, the input on stdin.
//
//   entsig_adapter_gnustep --capabilities   {"name", "areas"}
//   entsig_adapter_gnustep <area>           tagged JSON on stdout and exit 0 when it accepts,
//                                           exit 1 when it rejects, 3 when it raises
//
// propertyListWithData:options:format:error: picks the format itself (XML, binary or OpenStep
// text) and there is no call that takes one, so the input goes to it as it is; the format it
// read is written to stderr. A nil result with an NSError is a rejection; an exception raised
// out of the call is a crash (the API documents returning nil). Values: NSBoolNumber is a bool,
// other NSNumbers an integer or a real by their objCType, NSDate a date, NSData data; NSNull,
// sets, non-string keys and text that is not Unicode are unrepresentable.
#import <Foundation/Foundation.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// GNUSTEP_BASE_VERSION is bare tokens (1.28.0), so it is made a string here.
#define TEXT_OF_(x) #x
#define TEXT_OF(x) TEXT_OF_(x)

// A growing output buffer: the value is written in one piece at the end.
typedef struct {
  char *data;
  size_t size, capacity;
} Buffer;

static void put(Buffer *b, const char *text, size_t n) {
  if (b->size + n > b->capacity) {
    b->capacity = (b->size + n) * 2 + 256;
    b->data = realloc(b->data, b->capacity);
    if (!b->data) abort();
  }
  memcpy(b->data + b->size, text, n);
  b->size += n;
}

static void puts_(Buffer *b, const char *text) { put(b, text, strlen(text)); }

// A JSON string literal of valid UTF-8 bytes.
static void put_json_string(Buffer *b, const unsigned char *s, size_t n) {
  puts_(b, "\"");
  for (size_t i = 0; i < n; ++i) {
    char esc[8];
    if (s[i] == '"' || s[i] == '\\') {
      esc[0] = '\\', esc[1] = (char)s[i];
      put(b, esc, 2);
    } else if (s[i] < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", s[i]);
      put(b, esc, 6);
    } else {
      put(b, (const char *)&s[i], 1);
    }
  }
  puts_(b, "\"");
}

static void put_scalar(Buffer *b, const char *type, const char *text) {
  puts_(b, "{\"type\":\"");
  puts_(b, type);
  puts_(b, "\",\"value\":");
  put_json_string(b, (const unsigned char *)text, strlen(text));
  puts_(b, "}");
}

// The shortest %.Ng text that reads back to the same double; nan, inf, -inf.
static void real_text(double x, char *out, size_t size) {
  if (isnan(x)) { snprintf(out, size, "nan"); return; }
  if (isinf(x)) { snprintf(out, size, x > 0 ? "inf" : "-inf"); return; }
  for (int digits = 1; digits <= 17; ++digits) {
    snprintf(out, size, "%.*g", digits, x);
    if (strtod(out, NULL) == x) return;
  }
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
static void civil_from_days(long long z, long long *y, int *m, int *d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

// 10^n - F for the n-digit fraction F: a date before a whole second is written as the
// earlier second plus this complement (what entsig's tagged-JSON reader undoes).
static void complement(char *digits) {
  char *last = NULL;
  for (char *p = digits; *p; ++p)
    if (*p != '0') last = p;
  if (!last) return;
  for (char *p = digits; p < last; ++p) *p = (char)('0' + 9 - (*p - '0'));
  *last = (char)('0' + 10 - (*last - '0'));
}

// YYYY-MM-DDTHH:MM:SS[.digits]Z for years 1-9999, else the seconds since 2001 as a real.
static void put_date(Buffer *b, double t) {
  char text[512];
  const double whole = floor(t);
  if (!isfinite(t) || fabs(t) > 4.0e11) {  // beyond any year 1-9999
    real_text(t, text, sizeof text);
    put_scalar(b, "real", text);
    return;
  }
  long long secs = (long long)whole, days = secs / 86400, rest = secs % 86400;
  if (rest < 0) rest += 86400, --days;
  long long year;
  int month, day;
  civil_from_days(days + 11323, &year, &month, &day);  // 11323 days from 1970 to 2001
  if (year < 1 || year > 9999) {
    real_text(t, text, sizeof text);
    put_scalar(b, "real", text);
    return;
  }
  int n = snprintf(text, sizeof text, "%04lld-%02d-%02dT%02d:%02d:%02d", year, month, day, (int)(rest / 3600),
                   (int)(rest / 60 % 60), (int)(rest % 60));
  if (whole != t) {
    // The shortest fixed text of t that reads back to it gives the fraction's digits.
    char fixed[400];
    for (int places = 1; places <= 340; ++places) {
      snprintf(fixed, sizeof fixed, "%.*f", places, t);
      if (strtod(fixed, NULL) == t) break;
    }
    char *digits = strchr(fixed, '.') + 1;
    if (t < 0) complement(digits);
    n += snprintf(text + n, sizeof text - (size_t)n, ".%s", digits);
  }
  snprintf(text + n, sizeof text - (size_t)n, "Z");
  put_scalar(b, "date", text);
}

static void put_data(Buffer *b, NSData *data) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *s = [data bytes];
  const size_t n = [data length];
  puts_(b, "{\"type\":\"data\",\"value\":\"");
  for (size_t i = 0; i < n; i += 3) {
    const unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
    char quad[4] = {alphabet[v >> 18 & 63], alphabet[v >> 12 & 63], i + 1 < n ? alphabet[v >> 6 & 63] : '=',
                    i + 2 < n ? alphabet[v & 63] : '='};
    put(b, quad, 4);
  }
  puts_(b, "\"}");
}

static void put_number(Buffer *b, NSNumber *number) {
  char text[64];
  if (number == [NSNumber numberWithBool:YES] || number == [NSNumber numberWithBool:NO]) {
    put_scalar(b, "bool", [number boolValue] ? "true" : "false");
    return;
  }
  switch (*[number objCType]) {
    case 'f':
    case 'd':
      real_text([number doubleValue], text, sizeof text);
      put_scalar(b, "real", text);
      return;
    case 'C':
    case 'S':
    case 'I':
    case 'L':
    case 'Q':
      snprintf(text, sizeof text, "%llu", [number unsignedLongLongValue]);
      break;
    default:
      snprintf(text, sizeof text, "%lld", [number longLongValue]);
  }
  put_scalar(b, "integer", text);
}

// Writes `value`; returns a reason when it has no tagged form, NULL otherwise.
static const char *put_value(Buffer *b, id value);

static const char *put_string(Buffer *b, NSString *s) {
  NSData *utf8 = [s dataUsingEncoding:NSUTF8StringEncoding];
  if (!utf8) return "string that is not Unicode";
  put_json_string(b, [utf8 bytes], [utf8 length]);
  return NULL;
}

static const char *put_value(Buffer *b, id value) {
  if ([value isKindOfClass:[NSString class]]) {
    puts_(b, "{\"type\":\"string\",\"value\":");
    const char *why = put_string(b, value);
    puts_(b, "}");
    return why;
  }
  if ([value isKindOfClass:[NSNumber class]]) return put_number(b, value), NULL;
  if ([value isKindOfClass:[NSDate class]]) return put_date(b, [value timeIntervalSinceReferenceDate]), NULL;
  if ([value isKindOfClass:[NSData class]]) return put_data(b, value), NULL;
  if ([value isKindOfClass:[NSArray class]]) {
    puts_(b, "{\"type\":\"array\",\"value\":[");
    const NSUInteger n = [value count];
    for (NSUInteger i = 0; i < n; ++i) {
      if (i) puts_(b, ",");
      const char *why = put_value(b, [value objectAtIndex:i]);
      if (why) return why;
    }
    puts_(b, "]}");
    return NULL;
  }
  if ([value isKindOfClass:[NSDictionary class]]) {
    puts_(b, "{\"type\":\"dict\",\"value\":{");
    NSEnumerator *keys = [value keyEnumerator];
    id key;
    for (int i = 0; (key = [keys nextObject]); ++i) {
      if (![key isKindOfClass:[NSString class]]) return "non-string key";
      if (i) puts_(b, ",");
      const char *why = put_string(b, key);
      if (why) return why;
      puts_(b, ":");
      why = put_value(b, [value objectForKey:key]);
      if (why) return why;
    }
    puts_(b, "}}");
    return NULL;
  }
  if (value == nil || [value isKindOfClass:[NSNull class]]) return "null";
  if ([value isKindOfClass:[NSSet class]]) return "set";
  return "object of an unknown class";
}

static const char *format_name(NSPropertyListFormat f) {
  switch (f) {
    case NSPropertyListOpenStepFormat: return "OpenStep";
    case NSPropertyListXMLFormat_v1_0: return "XML";
    case NSPropertyListBinaryFormat_v1_0: return "binary";
    default: return "a GNUstep format";
  }
}

static int read_case(const char *area) {
  NSData *input = [[NSFileHandle fileHandleWithStandardInput] readDataToEndOfFile];
  NSPropertyListFormat format = 0;
  NSError *error = nil;
  id value = nil;
  NS_DURING
    value = [NSPropertyListSerialization propertyListWithData:input
                                                      options:NSPropertyListImmutable
                                                       format:&format
                                                        error:&error];
  NS_HANDLER
    fprintf(stderr, "raised %s: %s\n", [[localException name] UTF8String], [[localException reason] UTF8String]);
    return 3;
  NS_ENDHANDLER
  if (!value) {
    fprintf(stderr, "%s\n", error ? [[error description] UTF8String] : "nil without an error");
    return 1;
  }
  fprintf(stderr, "read as %s (case area %s)\n", format_name(format), area);
  Buffer out = {0};
  const char *why = put_value(&out, value);
  if (why) {
    printf("{\"unrepresentable\": \"%s\"}\n", why);
  } else {
    put(&out, "\n", 1);
    fwrite(out.data, 1, out.size, stdout);
  }
  free(out.data);
  return 0;
}

int main(int argc, char **argv) {
  NSAutoreleasePool *pool = [NSAutoreleasePool new];
  int status = 2;
  if (argc == 2 && strcmp(argv[1], "--capabilities") == 0) {
    printf("{\"name\": \"gnustep\", \"version\": \"GNUstep base %s\", \"areas\": [\"plist-binary\", \"plist-xml\"]}\n",
           TEXT_OF(GNUSTEP_BASE_VERSION));
    status = 0;
  } else if (argc == 2 && (strcmp(argv[1], "plist-xml") == 0 || strcmp(argv[1], "plist-binary") == 0)) {
    status = read_case(argv[1]);
  } else {
    fprintf(stderr, "usage: entsig_adapter_gnustep --capabilities | plist-xml | plist-binary\n");
  }
  fflush(stdout);
  [pool release];
  return status;
}
