package relyingparty_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/trustid/trustid/relyingparty"
)

// TestPairwiseKnownAnswers checks the documented pairwise derivation against fixed
// vectors both ways: the provider's subjects equal the vectors, and an independent
// computation of the documented formula equals them too, so a change to the label or the
// layout fails.
func TestPairwiseKnownAnswers(t *testing.T) {
	raw, err := os.ReadFile("testdata/pairwise.json")
	if err != nil {
		t.Fatal(err)
	}
	var kat struct {
		KeyHex  string `json:"key_hex"`
		Vectors []struct {
			Sector        string `json:"sector"`
			PersonSubject string `json:"person_subject"`
			Sub           string `json:"sub"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(raw, &kat); err != nil {
		t.Fatal(err)
	}
	key, err := hex.DecodeString(kat.KeyHex)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *relyingparty.Config) { c.PairwiseKey = key })
	for _, v := range kat.Vectors {
		if got := e.p.Pairwise(v.Sector, v.PersonSubject); got != v.Sub {
			t.Errorf("provider: sub(%s) = %s, want %s", v.Sector, got, v.Sub)
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte("trustid/oidc/pairwise/v1\x00" + v.Sector + "\x00" + v.PersonSubject))
		if got := base64.RawURLEncoding.EncodeToString(m.Sum(nil)); got != v.Sub {
			t.Errorf("formula: sub(%s) = %s, want %s", v.Sector, got, v.Sub)
		}
	}
}
