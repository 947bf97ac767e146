// Every key of a BPF hash map, collected before the caller looks anything
// up or deletes: deleting the key get_next_key is walking from sends the
// walk back to the start of the map.
//
// Any thread: it only reads the map through its file descriptor.
#pragma once
#include <bpf/bpf.h>

#include <vector>

namespace netladder {

template <typename Key>
std::vector<Key> MapKeys(int fd) {
  std::vector<Key> keys;
  Key key = {}, next = {};
  Key* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    keys.push_back(next);
    key = next;
    prev = &key;
  }
  return keys;
}

}  // namespace netladder
