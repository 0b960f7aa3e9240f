#include "plist_corpus.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace entsig::bench {
namespace {

const char* const kBoolKeys[] = {
    "com.apple.security.cs.allow-jit",
    "com.apple.security.cs.allow-unsigned-executable-memory",
    "com.apple.security.cs.disable-library-validation",
    "com.apple.security.device.audio-input",
    "com.apple.security.device.camera",
    "com.apple.security.network.client",
    "com.apple.security.app-sandbox",
    "com.apple.security.files.user-selected.read-write",
};

}  // namespace

std::string generate_entitlements_xml(std::size_t target_bytes) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<plist version=\"1.0\">\n<dict>\n";
  out.reserve(target_bytes + 4096);
  for (std::size_t i = 0; out.size() < target_bytes; ++i) {
    const std::string n = std::to_string(i);
    out += "\t<key>com.example.profile." + n + "</key>\n\t<dict>\n";
    for (std::size_t k = 0; k < std::size(kBoolKeys); ++k) {
      out += "\t\t<key>";
      out += kBoolKeys[k];
      out += (i + k) % 3 ? "</key>\n\t\t<true/>\n" : "</key>\n\t\t<false/>\n";
    }
    out += "\t\t<key>com.apple.security.application-groups</key>\n\t\t<array>\n";
    for (int g = 0; g < 3; ++g)
      out += "\t\t\t<string>group.com.example.app" + n + ".g" + std::to_string(g) + "</string>\n";
    out += "\t\t</array>\n";
    out += "\t\t<key>keychain-access-groups</key>\n\t\t<array>\n\t\t\t<string>ABCDE12345.com.example." + n +
           "</string>\n\t\t</array>\n";
    out += "\t\t<key>com.apple.developer.team-identifier</key>\n\t\t<string>ABCDE12345</string>\n";
    out += "\t\t<key>com.apple.private.memory-limit</key>\n\t\t<integer>" + std::to_string(4096 + i * 7) +
           "</integer>\n";
    out += "\t\t<key>blob</key>\n\t\t<data>AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=</data>\n";
    out += "\t</dict>\n";
  }
  out += "</dict>\n</plist>\n";
  return out;
}

std::vector<NamedInput> load_realworld(const std::string& shared_dir, bool binary) {
  std::vector<NamedInput> inputs;
  for (const char* sub : {"entitlements", "plists"}) {
    const std::filesystem::path dir = std::filesystem::path(shared_dir) / "realworld" / sub;
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const bool is_binary = bytes.rfind("bplist00", 0) == 0;
      const bool is_xml = bytes.find_first_not_of(" \t\r\n") != std::string::npos &&
                          bytes[bytes.find_first_not_of(" \t\r\n")] == '<';
      if ((binary && is_binary) || (!binary && is_xml))
        inputs.push_back({entry.path().filename().string(), std::move(bytes)});
    }
  }
  return inputs;
}

}  // namespace entsig::bench
