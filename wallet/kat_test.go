package wallet

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"testing"
	"testing/cryptotest"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/google/go-cmp/cmp"
	"github.com/trustid/trustid/store"
)

// sealedVector is wallet/testdata/sealed_record_v2.json.
type sealedVector struct {
	Purpose   string `json:"purpose"`
	KeyID     uint32 `json:"key_id"`
	SecretHex string `json:"secret_hex"`
	Holder    string `json:"holder"`
	Seed      uint64 `json:"seed"`
	NonceHex  string `json:"nonce_hex"`
	Plaintext string `json:"plaintext"`
	Sealed    string `json:"sealed"`
}

func loadSealedVector(t *testing.T) (sealedVector, store.Key, []byte) {
	t.Helper()
	b, err := os.ReadFile("testdata/sealed_record_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	var v sealedVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	secret, err := hex.DecodeString(v.SecretHex)
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := hex.DecodeString(v.NonceHex)
	if err != nil {
		t.Fatal(err)
	}
	return v, store.Key{ID: v.KeyID, Secret: secret}, nonce
}

// TestSealedRecordVectorOpens opens the fixed sealed bytes to the fixed plaintext, a
// wallet that decodes.
func TestSealedRecordVectorOpens(t *testing.T) {
	ctx := context.Background()
	v, key, _ := loadSealedVector(t)
	inner := NewMemoryStore()
	if _, err := inner.Save(ctx, StoredWallet{Holder: v.Holder, Data: []byte(v.Sealed)}); err != nil {
		t.Fatal(err)
	}
	s, err := NewSealedStore(inner, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, v.Holder)
	if err != nil {
		t.Fatalf("Load(vector) error = %v", err)
	}
	if diff := cmp.Diff(v.Plaintext, string(got.Data)); diff != "" {
		t.Errorf("opened vector mismatch (-want +got):\n%s", diff)
	}
	if _, err := decodeState(got.Data); err != nil {
		t.Errorf("vector plaintext does not decode: %v", err)
	}
}

// TestSealedRecordVectorSeals seals the fixed plaintext with fixed randomness to the
// fixed bytes: a change of the purpose, the key derivation, the payload layout or the
// additional data fails here.
func TestSealedRecordVectorSeals(t *testing.T) {
	ctx := context.Background()
	v, key, _ := loadSealedVector(t)
	cryptotest.SetGlobalRandom(t, v.Seed)
	inner := NewMemoryStore()
	s, err := NewSealedStore(inner, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, StoredWallet{Holder: v.Holder, Data: []byte(v.Plaintext)}); err != nil {
		t.Fatal(err)
	}
	got, err := inner.Load(ctx, v.Holder)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v.Sealed, string(got.Data)); diff != "" {
		t.Errorf("sealed bytes mismatch (-want +got):\n%s", diff)
	}
}

// TestSealedRecordVectorFormat rebuilds the vector from the documented format with the
// primitives alone (HKDF-SHA-256, XChaCha20-Poly1305, base64url), independently of
// internal/seal and SealedStore.
func TestSealedRecordVectorFormat(t *testing.T) {
	v, key, nonce := loadSealedVector(t)
	if v.Purpose != "wallet/record" {
		t.Fatalf("vector purpose %q", v.Purpose)
	}
	var id [4]byte
	binary.BigEndian.PutUint32(id[:], key.ID)
	k, err := hkdf.Key(sha256.New, key.Secret, nil, "trustid/seal/v1\x00"+v.Purpose+"\x00"+string(id[:]), chacha20poly1305.KeySize)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(k)
	if err != nil {
		t.Fatal(err)
	}
	header := append(append([]byte{0x01}, id[:]...), nonce...)
	var pt []byte
	pt = binary.BigEndian.AppendUint64(pt, math.MaxInt64) // expiry: never
	pt = append(pt, 2)                                    // at-rest format
	pt = binary.BigEndian.AppendUint32(pt, uint32(len(v.Holder)))
	pt = append(pt, v.Holder...)
	pt = append(pt, v.Plaintext...)
	ad := append(bytes.Clone(header[:5]), v.Purpose...)
	want := base64.RawURLEncoding.EncodeToString(aead.Seal(header, nonce, pt, ad))
	if diff := cmp.Diff(want, v.Sealed); diff != "" {
		t.Errorf("vector does not follow the documented format (-rebuilt +vector):\n%s", diff)
	}
}
