package smsuite_test

import (
	"crypto/ed25519"
	"crypto/sha256"
)

func ed25519Key(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("smsuite test ed25519 " + label))
	return ed25519.NewKeyFromSeed(seed[:])
}
