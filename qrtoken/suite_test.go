package qrtoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/sha512"
	"errors"
	"hash"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// otherSuite stands for a suite of another module (smsuite's SM2/SM3/SM4 lives outside
// the core): AES-256-GCM under HKDF-SHA-512, the default's signatures and group
// encryption, under another ID.
type otherSuite struct {
	defaultSuite
	id uint8
}

func (s otherSuite) ID() uint8        { return s.id }
func (otherSuite) NewHash() hash.Hash { return sha512.New() }
func (otherSuite) AEADKeySize() int   { return 32 }
func (otherSuite) NewAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// onlineOnly is a Suite without the offline hooks.
type onlineOnly struct{ Suite }

// shortNonce is a suite whose AEAD does not fit the wire format.
type shortNonce struct{ otherSuite }

func (shortNonce) NewAEAD(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithNonceSize(b, 16)
}

func withSuite(s Suite) envOption {
	return func(ic *IssuerConfig, rc *ReaderConfig) { ic.Suite, rc.Suite = s, s }
}

// TestSuiteInFirstNibble: a code of another suite carries the suite's ID in its first
// nibble, opens at a reader of that suite with the claims issued, and is refused by a
// reader of the default suite with ErrWrongSuite, and the reverse, online and offline,
// although both hold the same keys.
func TestSuiteInFirstNibble(t *testing.T) {
	other := newEnv(t, withSuite(otherSuite{id: 7}))
	def := newEnv(t)
	for _, offline := range []bool{false, true} {
		issueOther, issueDef := other.issue, def.issue
		if offline {
			issueOther, issueDef = other.issueOffline, def.issueOffline
		}
		text := issueOther(t, cafeClaims(), PurposeInternetCafe())
		raw, err := DecodeBase45(text)
		if err != nil {
			t.Fatal(err)
		}
		if raw[0]>>4 != 7 {
			t.Errorf("offline=%v: first nibble %d, want 7", offline, raw[0]>>4)
		}
		o, err := other.reader.Open(t.Context(), text)
		if err != nil {
			t.Fatalf("offline=%v: Open: %v", offline, err)
		}
		if diff := cmp.Diff(cafeClaims().Name, o.Claims.Name); diff != "" {
			t.Errorf("offline=%v: name mismatch (-want +got):\n%s", offline, diff)
		}
		if _, err := def.reader.Open(t.Context(), text); !errors.Is(err, ErrWrongSuite) {
			t.Errorf("offline=%v: default reader: error = %v, want ErrWrongSuite", offline, err)
		}
		if _, err := other.reader.Open(t.Context(), issueDef(t, cafeClaims(), PurposeInternetCafe())); !errors.Is(err, ErrWrongSuite) {
			t.Errorf("offline=%v: other reader, default code: error = %v, want ErrWrongSuite", offline, err)
		}
		// Relabelled to the default suite: its keys differ, so it is not authentic.
		raw[0] = defaultSuiteID<<4 | raw[0]&0xF
		if _, err := def.reader.Open(t.Context(), EncodeBase45(raw)); !errors.Is(err, ErrNotAuthentic) {
			t.Errorf("offline=%v: relabelled: error = %v, want ErrNotAuthentic", offline, err)
		}
	}
}

// TestSuiteConfig: unusable suites and suites that do not fit the keys are refused when
// issuers and readers are made, or when the first code is issued.
func TestSuiteConfig(t *testing.T) {
	key := &SecretKey{ID: 1, Secret: testSecret("k")}
	sk := testSigningKey(3, "issuer")
	for name, cfg := range map[string]IssuerConfig{
		"ID 0":                    {Key: key, Suite: otherSuite{id: 0}},
		"ID 16":                   {Key: key, Suite: otherSuite{id: 16}},
		"signing key, no offline": {SigningKey: &sk, Suite: onlineOnly{otherSuite{id: 7}}},
	} {
		if _, err := NewIssuer(cfg); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewIssuer(%s) error = %v, want ErrInvalidArgument", name, err)
		}
	}
	g := testGroupKey(t, 7, "g")
	for name, cfg := range map[string]ReaderConfig{
		"ID 0":                   {Keys: []SecretKey{*key}, Suite: otherSuite{id: 0}},
		"group keys, no offline": {IssuerKeys: []IssuerPublicKey{sk.Public()}, GroupKeys: []GroupPrivateKey{g}, Suite: onlineOnly{otherSuite{id: 7}}},
		"venue keys, other suite": {Keys: []SecretKey{*key}, Suite: otherSuite{id: 7},
			VenueKeys: []VenuePublicKey{{VenueID: 1, ID: 1, Key: testSigningKey(1, "v").Key.Public().(ed25519.PublicKey)}}},
	} {
		cfg.Purposes = []Purpose{PurposeInternetCafe()}
		if _, err := NewReader(cfg); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewReader(%s) error = %v, want ErrInvalidArgument", name, err)
		}
	}
	is, err := NewIssuer(IssuerConfig{Key: key, Suite: shortNonce{otherSuite{id: 7}}, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := is.Issue(t.Context(), cafeClaims(), PurposeInternetCafe()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Issue with a 16-byte-nonce AEAD: error = %v, want ErrInvalidArgument", err)
	}
	other, err := NewIssuer(IssuerConfig{Key: key, Suite: otherSuite{id: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.IssueCheckIn(t.Context(), "", cafeClaims(), PurposeInternetCafe()); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("IssueCheckIn under another suite: error = %v, want ErrInvalidArgument", err)
	}
}
