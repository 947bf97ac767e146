// Native failures become JS Errors with a `code` and a sentence a person can
// act on. Runs on the JS thread only.
#pragma once
#include <napi.h>
#include <string>

namespace netladder {

inline Napi::Error CodedError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  return err;
}

}  // namespace netladder
