package liveness_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
)

// TestCaptureEnvelopeVector checks the documented signed-message layout both ways: the
// fixed envelope encodes to the vector's bytes and signs to its signature (Ed25519 is
// deterministic), and the vector's signature verifies over them with its key.
func TestCaptureEnvelopeVector(t *testing.T) {
	raw, err := os.ReadFile("testdata/capture_v1.txt")
	if err != nil {
		t.Fatal(err)
	}
	v := map[string][]byte{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, val, ok := strings.Cut(line, " "); ok && !strings.HasPrefix(line, "#") {
			if v[k], err = hex.DecodeString(val); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
		}
	}
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i)
	}
	key := ed25519.NewKeyFromSeed(seed)
	e := liveness.CaptureEnvelope{SessionID: "00112233445566778899aabbccddeeff", Index: 7,
		CapturedAt: time.Date(2026, 11, 23, 8, 0, 1, 500_000_000, time.UTC), Last: true}
	for i := range 32 {
		e.Prev[i], e.FrameHash[i] = byte(0xA0+i%16), byte(i)
	}
	if !bytes.Equal(key.Public().(ed25519.PublicKey), v["pub"]) {
		t.Fatalf("public key %x, vector %x", key.Public(), v["pub"])
	}
	if got := e.SignedMessage(); !bytes.Equal(got, v["msg"]) {
		t.Errorf("signed message\n got %x\nwant %x", got, v["msg"])
	}
	if link := e.Link(); !bytes.Equal(link[:], v["link"]) {
		t.Errorf("link %x, want %x", link, v["link"])
	}
	if !ed25519.Verify(v["pub"], v["msg"], v["sig"]) {
		t.Error("the vector's signature does not verify over its message")
	}
	liveness.SignCapture(key, &e)
	if !bytes.Equal(e.Signature, v["sig"]) {
		t.Errorf("signature %x, want %x", e.Signature, v["sig"])
	}
}
