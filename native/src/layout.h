#pragma once
#include <napi.h>

namespace netladder {
// JS thread. The record layout as the C compiler sees bpf/netladder.h, so a
// test can hold the TypeScript decoder to it.
Napi::Value Layout(const Napi::CallbackInfo& info);
}  // namespace netladder
