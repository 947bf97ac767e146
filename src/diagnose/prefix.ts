// Address-in-network tests, by node:net's BlockList rather than by hand.
import { BlockList } from 'node:net';
import type { Family } from '../core/event.js';

export function inPrefix(address: string, family: Family, network: string, len: number): boolean {
  try {
    const b = new BlockList();
    b.addSubnet(network, len, family);
    return b.check(address, family);
  } catch {
    return false; // a network of the other family, or malformed
  }
}

export function inRange(address: string, family: Family, from: string, to: string): boolean {
  try {
    const b = new BlockList();
    b.addRange(from, to, family);
    return b.check(address, family);
  } catch {
    return false;
  }
}

export function isLoopback(address: string, family: Family): boolean {
  return family === 'ipv4' ? inPrefix(address, family, '127.0.0.0', 8) : address === '::1';
}
