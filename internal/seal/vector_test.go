package seal

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
)

var update = flag.Bool("update", false, "rewrite testdata/v1.json from the fixed inputs")

// vector is a known-answer test of the v1 token format. The inputs are fixed; the token
// was produced by this package's Seal with the nonce below, once, with -update. The test
// never regenerates it: a change to the HKDF info string, the additional data, the header
// or the expiry encoding changes the token and fails here, even when Seal and Open change
// together.
type vector struct {
	Purpose   string    `json:"purpose"`
	KeyID     uint32    `json:"key_id"`
	SecretHex string    `json:"secret_hex"`
	NonceHex  string    `json:"nonce_hex"`
	Payload   string    `json:"payload"`
	Expires   time.Time `json:"expires"`
	Token     string    `json:"token"`
}

func fixedVector() vector {
	secret := make([]byte, 32)
	nonce := make([]byte, 24)
	for i := range secret {
		secret[i] = byte(i)
	}
	for i := range nonce {
		nonce[i] = byte(0x40 + i)
	}
	return vector{
		Purpose:   "kat",
		KeyID:     7,
		SecretHex: hex.EncodeToString(secret),
		NonceHex:  hex.EncodeToString(nonce),
		Payload:   "hello, 世界",
		Expires:   time.Date(2026, 11, 22, 8, 0, 0, 123456789, time.UTC),
	}
}

func TestKnownAnswerV1(t *testing.T) {
	const file = "testdata/v1.json"
	if *update {
		v := fixedVector()
		v.Token = sealVector(t, v)
		b, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if fixed := fixedVector(); v.Purpose != fixed.Purpose || v.SecretHex != fixed.SecretHex ||
		v.NonceHex != fixed.NonceHex || v.Payload != fixed.Payload || !v.Expires.Equal(fixed.Expires) {
		t.Fatalf("%s inputs differ from the fixed ones", file)
	}
	// Decode direction: the stored token opens to the stored payload.
	secret, _ := hex.DecodeString(v.SecretHex)
	s, err := New(v.Purpose, Key{ID: v.KeyID, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	payload, exp, id, err := s.Open(v.Token, v.Expires.Add(-time.Minute))
	if err != nil || string(payload) != v.Payload || !exp.Equal(v.Expires) || id != v.KeyID {
		t.Fatalf("Open(vector) = %q, %v, %d, %v; want %q, %v, %d", payload, exp, id, err, v.Payload, v.Expires, v.KeyID)
	}
	// Encode direction: sealing the same inputs with the same nonce gives the same text.
	if got := sealVector(t, v); got != v.Token {
		t.Errorf("Seal(vector inputs) = %s\nwant %s", got, v.Token)
	}
}

func sealVector(t *testing.T, v vector) string {
	t.Helper()
	secret, _ := hex.DecodeString(v.SecretHex)
	nonce, _ := hex.DecodeString(v.NonceHex)
	s, err := New(v.Purpose, Key{ID: v.KeyID, Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Seal([]byte(v.Payload), v.Expires, bytes.NewReader(nonce))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestVectorMatchesDocumentedFormat rebuilds the vector's token from the format the
// package doc describes, with the primitives called directly, so the doc and the code
// cannot drift apart.
func TestVectorMatchesDocumentedFormat(t *testing.T) {
	b, err := os.ReadFile("testdata/v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	secret, _ := hex.DecodeString(v.SecretHex)
	nonce, _ := hex.DecodeString(v.NonceHex)
	var id [4]byte
	binary.BigEndian.PutUint32(id[:], v.KeyID)
	key, err := hkdf.Key(sha256.New, secret, nil, "trustid/seal/v1\x00"+v.Purpose+"\x00"+string(id[:]), 32)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	header := append(append([]byte{0x01}, id[:]...), nonce...)
	pt := binary.BigEndian.AppendUint64(nil, uint64(v.Expires.UnixNano()))
	pt = append(pt, v.Payload...)
	ad := append(append([]byte{0x01}, id[:]...), v.Purpose...)
	want := base64.RawURLEncoding.EncodeToString(aead.Seal(header, nonce, pt, ad))
	if want != v.Token {
		t.Errorf("documented format gives %s\nvector holds       %s", want, v.Token)
	}
}
