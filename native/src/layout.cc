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

  // struct nl_host_event: the event, then the name.
  Napi::Object hostFields = Napi::Object::New(env);
  Field(env, hostFields, "ev", offsetof(struct nl_host_event, ev), sizeof(struct nl_event));
  Field(env, hostFields, "host", offsetof(struct nl_host_event, host), sizeof(((struct nl_host_event*)0)->host));
  out.Set("hostSize", Napi::Number::New(env, sizeof(struct nl_host_event)));
  out.Set("hostFields", hostFields);
  // What precedes each record in a batch (ring_poller.h).
  out.Set("lengthSize", Napi::Number::New(env, sizeof(uint32_t)));

  Napi::Object dns = Napi::Object::New(env);
  dns.Set("rcode_base", Napi::Number::New(env, NL_DNS_RCODE_BASE));
  dns.Set("timeout", Napi::Number::New(env, NL_DNS_TIMEOUT));
  out.Set("dns", dns);

  Napi::Object kinds = Napi::Object::New(env);
  kinds.Set("connect_error", Napi::Number::New(env, NL_CONNECT_ERROR));
  kinds.Set("reset_received", Napi::Number::New(env, NL_RESET_RECEIVED));
  kinds.Set("reset_sent", Napi::Number::New(env, NL_RESET_SENT));
  kinds.Set("neighbour_failed", Napi::Number::New(env, NL_NEIGHBOUR_FAILED));
  kinds.Set("bind_error", Napi::Number::New(env, NL_BIND_ERROR));
  kinds.Set("time_wait", Napi::Number::New(env, NL_TIME_WAIT));
  kinds.Set("syn_retransmit", Napi::Number::New(env, NL_SYN_RETRANSMIT));
  kinds.Set("dns_error", Napi::Number::New(env, NL_DNS_ERROR));
  kinds.Set("tls_error", Napi::Number::New(env, NL_TLS_ERROR));
  out.Set("kinds", kinds);

  Napi::Object flags = Napi::Object::New(env);
  flags.Set("async", Napi::Number::New(env, NL_F_ASYNC));
  flags.Set("unowned", Napi::Number::New(env, NL_F_UNOWNED));
  flags.Set("wire_name", Napi::Number::New(env, NL_F_WIRE_NAME));
  out.Set("flags", flags);

  Napi::Object losses = Napi::Object::New(env);
  losses.Set("ringbuf_full", Napi::Number::New(env, NL_LOSS_RINGBUF_FULL));
  losses.Set("rate_limited", Napi::Number::New(env, NL_LOSS_RATE_LIMITED));
  losses.Set("counter_full", Napi::Number::New(env, NL_LOSS_COUNTER_FULL));
  losses.Set("dns_pending_full", Napi::Number::New(env, NL_LOSS_DNS_PENDING_FULL));
  out.Set("losses", losses);
  return out;
}

}  // namespace netladder
