#pragma once

#include <string>
#include <vector>

namespace keyscope {

struct OpenSSLInfo {
  std::string version;          // the OpenSSL the process runs (Node's own)
  std::string header_version;   // the headers this addon was compiled against
  std::vector<std::string> providers;  // providers loaded in the default library context
};

OpenSSLInfo GetOpenSSLInfo();

}  // namespace keyscope
