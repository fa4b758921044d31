package qrtoken

import (
	"crypto/ed25519"
	"crypto/sha256"
)

func testVenueKey(id uint8) VenueKey {
	seed := sha256.Sum256([]byte{'v', id})
	return VenueKey{ID: id, Key: ed25519.NewKeyFromSeed(seed[:])}
}
