// Package smsuite is the Chinese commercial cryptography suite of trustid: SM2, SM3 and
// SM4 (GB/T 32918, GB/T 32905, GB/T 32907) for QR identity codes (package qrtoken) and for
// everything trustid seals under a store.Key (session state, results, decisions, wallet
// records), so that a deployment assessed under GB/T 39786-2021 uses the SM algorithms
// throughout. It is a module of its own, so that the core does not depend on an SM
// implementation (github.com/emmansun/gmsm).
//
// # Selecting the suite
//
// A deployment uses one suite for all its issuers and readers:
//
//	qrtoken.IssuerConfig{Key: &k, Suite: smsuite.Suite{}}
//	qrtoken.ReaderConfig{Keys: []qrtoken.SecretKey{k}, Suite: smsuite.Suite{}, ...}
//	store.Key{ID: 1, Secret: s, Suite: smsuite.Suite{}} // liveness, quiz, verify, wallet
//	review.Config{AuditHash: smsuite.AuditHashName, ...} // the audit chain, SM3
//
// A default-suite reader refuses an SM code with qrtoken.ErrWrongSuite and an SM reader
// refuses a default code the same way; a sealer refuses a token of the other suite.
// Offline keys are SM2 keys: [GenerateSigningKey] and [GenerateGroupKey] (or
// *sm2.PrivateKey values a host loads itself; readers take the *ecdsa.PublicKey on the
// SM2 curve that their Public method returns).
//
// # Algorithms and formats
//
// QR codes (suite [ID] 2, the first nibble of every code; the layout is qrtoken's):
//
//   - online codes and the window keys: HKDF (RFC 5869) with HMAC-SM3, the salt and info
//     of qrtoken, 16-byte keys; SM4-GCM (SM4 in the GCM mode of NIST SP 800-38D, as RFC
//     8998 uses it) with qrtoken's 12-byte nonce (10 random bytes and two zero bytes) and
//     a 16-byte tag. Online codes are exactly as long as the default suite's.
//   - replay IDs of keys: HKDF-SM3.
//   - offline codes, issuer signature: SM2 (GB/T 32918.2) with the default user ID
//     "1234567812345678", e = SM3(Z_A | message), encoded as r | s (64 bytes; qrtoken
//     needs a fixed size, so not the DER of GM/T 0009).
//   - offline codes, encryption to the reader group: an envelope. A fresh 16-byte SM4 key
//     is encrypted to the group's SM2 public key with SM2 public key encryption (GB/T
//     32918.4; C1 compressed, order C1 | C3 | C2: 33 + 32 + 16 = 81 bytes, the
//     "encapsulated key" of qrtoken's offline layout), and the code's claims and
//     signature are encrypted under that key with SM4-GCM, nonce zero (the key is used
//     once), additional data "trustid/smsuite/v1 group" | length of info (2 bytes) | info
//     | qrtoken's aad (the header).
//
// Sealed tokens and records (first byte [SealID] 0x02; the layout is the seal format of
// the core: suite | key ID | nonce (24) | ciphertext with a 16-byte tag): K =
// HKDF-SM3(secret, no salt, the core's info, 32 bytes); per token, the first 12 nonce bytes
// select the SM4 key HKDF-Expand-SM3(K, "trustid/smsuite/v1 seal" | nonce[:12], 16), and
// the last 12 are its SM4-GCM nonce.
//
// Audit chains (package verify/review): importing this package registers SM3 under
// [AuditHashName] ("sm3"); a Desk with that Config.AuditHash hashes every record, and
// the digest of its material references, with SM3 instead of SHA-256, and each record
// names "sm3" (AuditRecord.HashAlg).
//
// # What is standard and what is not
//
// SM2 signatures and encryption, SM3, SM4, GCM and HKDF are each published standards.
// Two compositions are this package's own and are not published standards, and an
// assessor should know it:
//
//   - The group encryption envelope (SM2 encryption of a content key, SM4-GCM of the
//     content). It was chosen over an HPKE-like SM2 Diffie-Hellman KEM because SM2
//     public key encryption is the standardised way to encrypt to an SM2 key (the
//     standardised SM2 key exchange, GB/T 32918.3, is interactive and cannot serve an
//     offline code), and over SM2 encryption of the whole message because that has no
//     additional data and its C3 (SM3 of the plaintext with the shared point) is the only
//     integrity check; GCM binds the header and qrtoken's info. The cost is 81 bytes
//     instead of the default's 32 for the encapsulated key (see the README's figures).
//     The issuer's signature covers the encapsulated key, as in the default suite, so a
//     reader group member cannot re-encrypt a code it received.
//   - The sealed-token AEAD: SM4-GCM with a per-token key, in the manner of XAES-256-GCM
//     (C2SP) and XChaCha20. Random 96-bit GCM nonces allow about 2^32 messages per key;
//     sealed tokens are many, keys long-lived and several instances seal under one key
//     with no coordination, so each token gets its own SM4 key from 96 random bits and a
//     random 96-bit nonce under it.
//
// # Security
//
// The security properties are qrtoken's and the core seal format's, with SM4's 128-bit
// keys (the default suite's are 256-bit) and SM2's 128-bit security level. Nonces and
// content keys come from crypto/rand. SM2 signing in gmsm is randomised; verification
// accepts only r | s of 64 bytes. Not covered by the suite: venue challenges and
// check-ins (Ed25519; they exist under the default suite only), review checkpoints
// (Ed25519 over the audit head), the SHA-256 digests hosts give for uploaded materials,
// and, not part of any wire format, the replay-guard digests of sealed tokens and the
// HMAC-SHA-256 index keys of the core. Nor is module pgstore: it seals review cases,
// consents and hand-offs with the default suite only and refuses a key that names this
// suite, so an SM deployment keeps those records in a store that seals them with this
// suite, or wraps them itself before they reach pgstore.
package smsuite
