#include "layout.h"

#include <cstddef>

#include "netladder.h"

namespace netladder {

namespace {
void Field(Napi::Env env, Napi::Object fields, const char* name, size_t offset, size_t size) {
  Napi::Object f = Napi::Object::New(env);
  f.Set("offset", Napi::Number::New(env, offset));
  f.Set("size", Napi::Number::New(env, size));
  fields.Set(name, f);
}
}  // namespace

#define NL_FIELD(name) \
  Field(env, fields, #name, offsetof(struct nl_event, name), sizeof(((struct nl_event*)0)->name))

Napi::Value Layout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  Napi::Object fields = Napi::Object::New(env);
  NL_FIELD(ts_ns);
  NL_FIELD(cgroup_id);
  NL_FIELD(pid);
  NL_FIELD(tid);
  NL_FIELD(ifindex);
  NL_FIELD(reason);
  NL_FIELD(err);
  NL_FIELD(family);
  NL_FIELD(sport);
  NL_FIELD(dport);
  NL_FIELD(kind);
  NL_FIELD(flags);
  NL_FIELD(saddr);
  NL_FIELD(daddr);
  NL_FIELD(comm);
  NL_FIELD(dev);
  out.Set("size", Napi::Number::New(env, sizeof(struct nl_event)));
  out.Set("fields", fields);

  Napi::Object kinds = Napi::Object::New(env);
  kinds.Set("connect_error", Napi::Number::New(env, NL_CONNECT_ERROR));
  kinds.Set("reset_received", Napi::Number::New(env, NL_RESET_RECEIVED));
  kinds.Set("reset_sent", Napi::Number::New(env, NL_RESET_SENT));
  kinds.Set("neighbour_failed", Napi::Number::New(env, NL_NEIGHBOUR_FAILED));
  kinds.Set("bind_error", Napi::Number::New(env, NL_BIND_ERROR));
  kinds.Set("time_wait", Napi::Number::New(env, NL_TIME_WAIT));
  kinds.Set("syn_retransmit", Napi::Number::New(env, NL_SYN_RETRANSMIT));
  out.Set("kinds", kinds);

  Napi::Object flags = Napi::Object::New(env);
  flags.Set("async", Napi::Number::New(env, NL_F_ASYNC));
  flags.Set("unowned", Napi::Number::New(env, NL_F_UNOWNED));
  out.Set("flags", flags);

  Napi::Object losses = Napi::Object::New(env);
  losses.Set("ringbuf_full", Napi::Number::New(env, NL_LOSS_RINGBUF_FULL));
  losses.Set("rate_limited", Napi::Number::New(env, NL_LOSS_RATE_LIMITED));
  losses.Set("counter_full", Napi::Number::New(env, NL_LOSS_COUNTER_FULL));
  out.Set("losses", losses);
  return out;
}

}  // namespace netladder
