// OpenSSL's certificate verify results (X509_V_ERR_* of <openssl/x509_vfy.h>,
// OpenSSL 3), as a tls_error's `errno` and a short `reason`.

const CODES: Record<number, readonly [string, string]> = {
  2: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT', 'unknown CA'],
  3: ['X509_V_ERR_UNABLE_TO_GET_CRL', 'no CRL'],
  4: ['X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'bad signature'],
  6: ['X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'bad issuer key'],
  7: ['X509_V_ERR_CERT_SIGNATURE_FAILURE', 'bad signature'],
  9: ['X509_V_ERR_CERT_NOT_YET_VALID', 'not yet valid'],
  10: ['X509_V_ERR_CERT_HAS_EXPIRED', 'expired'],
  11: ['X509_V_ERR_CRL_NOT_YET_VALID', 'CRL not yet valid'],
  12: ['X509_V_ERR_CRL_HAS_EXPIRED', 'CRL expired'],
  13: ['X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD', 'bad validity dates'],
  14: ['X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD', 'bad validity dates'],
  18: ['X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed'],
  19: ['X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN', 'self-signed CA in chain'],
  20: ['X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unknown CA'],
  21: ['X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unknown CA'],
  22: ['X509_V_ERR_CERT_CHAIN_TOO_LONG', 'chain too long'],
  23: ['X509_V_ERR_CERT_REVOKED', 'revoked'],
  24: ['X509_V_ERR_INVALID_CA', 'invalid CA'],
  25: ['X509_V_ERR_PATH_LENGTH_EXCEEDED', 'chain too long'],
  26: ['X509_V_ERR_INVALID_PURPOSE', 'wrong purpose'],
  27: ['X509_V_ERR_CERT_UNTRUSTED', 'untrusted'],
  28: ['X509_V_ERR_CERT_REJECTED', 'rejected'],
  62: ['X509_V_ERR_HOSTNAME_MISMATCH', 'hostname mismatch'],
  63: ['X509_V_ERR_EMAIL_MISMATCH', 'email mismatch'],
  64: ['X509_V_ERR_IP_ADDRESS_MISMATCH', 'IP address mismatch'],
};

/** X509_V_ERR_CERT_HAS_EXPIRED for 10; unknown codes keep their number. */
export function tlsErrorName(code: number): string | null {
  if (code === 0) return null;
  return CODES[code]?.[0] ?? `X509_V_ERR_${code}`;
}

/** A few words for people: expired, self-signed, unknown CA, hostname mismatch, ... */
export function tlsReason(code: number): string | null {
  if (code === 0) return null;
  return CODES[code]?.[1] ?? `verify error ${code}`;
}

export function isTlsErrorName(name: string): boolean {
  return /^X509_V_ERR_[A-Z0-9_]+$/.test(name.toUpperCase());
}
