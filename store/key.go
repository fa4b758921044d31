package store

import "fmt"

// Key is a secret with an identifier, for the keys that rotate: the keys that seal session
// state, results, decisions and wallet records. Secret must be at least 32 bytes from
// crypto/rand; whoever takes a Key copies the secret. Several keys are given newest first:
// the first seals, every one opens what was sealed under its ID, so a new key can be put
// first while the old one still opens live tokens.
//
// Index keys (the HMAC keys that turn a document number into a lookup key) are not Keys:
// they never rotate, because a lookup key made under one would not be found under another,
// and they must be the same on every instance that shares a store.
//
// Suite is the cryptography that seals under the key (nil: the default suite, see
// [SealSuite]). It travels with the key so that a deployment changes suite the way it
// rotates keys: put a key of the new suite first, keep the old key to open what it
// sealed. The first byte of a sealed token names its suite, and an opener refuses a token
// whose suite is not that of the key it names.
type Key struct {
	ID     uint32
	Secret []byte
	Suite  SealSuite
}

// String never reveals the secret.
func (k Key) String() string { return fmt.Sprintf("store.Key{ID: %d, Secret: [redacted]}", k.ID) }

// GoString never reveals the secret.
func (k Key) GoString() string { return k.String() }

// Format writes the String form for every verb, so that no verb or flag reaches the secret.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }
