import { describe, expect, it } from 'vitest';
import { isTlsErrorName, tlsErrorName, tlsReason } from '../../src/core/tls.js';

describe('TLS verify results', () => {
  it.each<[number, string | null, string | null]>([
    [0, null, null],
    [9, 'X509_V_ERR_CERT_NOT_YET_VALID', 'not yet valid'],
    [10, 'X509_V_ERR_CERT_HAS_EXPIRED', 'expired'],
    [18, 'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
    [19, 'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN', 'self-signed CA in chain'],
    [20, 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown CA'],
    [21, 'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown CA'],
    [23, 'X509_V_ERR_CERT_REVOKED', 'revoked'],
    [62, 'X509_V_ERR_HOSTNAME_MISMATCH', 'hostname mismatch'],
    [64, 'X509_V_ERR_IP_ADDRESS_MISMATCH', 'IP address mismatch'],
    [77, 'X509_V_ERR_77', 'verify error 77'],
  ])('%i is %s (%s)', (code, name, reason) => {
    expect(tlsErrorName(code)).toBe(name);
    expect(tlsReason(code)).toBe(reason);
  });

  it.each([
    ['X509_V_ERR_CERT_HAS_EXPIRED', true], ['x509_v_err_hostname_mismatch', true], ['X509_V_ERR_77', true],
    ['CERT_HAS_EXPIRED', false], ['X509_V_ERR_', false],
  ])('%s is a TLS error name: %s', (name, want) => {
    expect(isTlsErrorName(name)).toBe(want);
  });
});
