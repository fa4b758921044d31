package relyingparty_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/verify"
)

func benchKeys(b *testing.B) map[string]func(*relyingparty.Config) {
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	return map[string]func(*relyingparty.Config){
		"ES256": nil,
		"EdDSA": func(c *relyingparty.Config) { c.SigningKeys = []relyingparty.SigningKey{{ID: "ed", Key: ed}} },
	}
}

// BenchmarkIDTokenSign measures building and signing a result-only ID token.
func BenchmarkIDTokenSign(b *testing.B) {
	for name, mod := range benchKeys(b) {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, mod)
			d := e.decision(b, holderID, verify.LevelRealPerson)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.p.SignIDToken("bank", d, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIDTokenVerify measures what a relying party does with an ID token: parse,
// verify the signature against the JWKS key, decode the claims.
func BenchmarkIDTokenVerify(b *testing.B) {
	for name, mod := range benchKeys(b) {
		b.Run(name, func(b *testing.B) {
			e := newEnv(b, mod)
			d := e.decision(b, holderID, verify.LevelRealPerson)
			tok, err := e.p.SignIDToken("bank", d, testNow)
			if err != nil {
				b.Fatal(err)
			}
			raw, _ := e.p.JWKS()
			var set jose.JSONWebKeySet
			if err := json.Unmarshal(raw, &set); err != nil {
				b.Fatal(err)
			}
			key := set.Keys[0]
			b.ReportAllocs()
			for b.Loop() {
				jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
				if err != nil {
					b.Fatal(err)
				}
				payload, err := jws.Verify(key)
				if err != nil {
					b.Fatal(err)
				}
				var claims map[string]any
				if err := json.Unmarshal(payload, &claims); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
