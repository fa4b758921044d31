package store

import "crypto/cipher"

// SealSuite is the cryptography of what trustid seals under a [Key]: session state and
// results (liveness, quiz), document results and decisions (verify), wallet records. A
// key without a suite ([Key.Suite] nil) uses the default: XChaCha20-Poly1305 under a key
// derived with HKDF-SHA-256, first token byte 0x01. Module
// github.com/trustid/trustid/smsuite provides the Chinese commercial cryptography suite
// (SM4-GCM under HKDF-SM3, first byte 0x02).
//
// A SealSuite must be safe for concurrent use.
type SealSuite interface {
	// SealID is the first byte of every token sealed under the suite, 2 to 255 (1 is the
	// default suite's). An opener refuses a token whose first byte is not the suite of
	// the key it names.
	SealID() byte
	// SealAEAD returns the AEAD of secret for one use, named by info (the purpose and the
	// key ID: see the seal format). Nonces are random, so the AEAD's nonce must be long
	// enough that random nonces never repeat under one key (at least 16 bytes), and its
	// tag at least 16 bytes.
	SealAEAD(secret []byte, info string) (cipher.AEAD, error)
}
