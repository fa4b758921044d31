package oidcprovider_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/oidcprovider"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// A provider for one relying party, served over HTTP; its discovery document is what a
// bank's ordinary OpenID Connect client reads first. Keys are fixed here for the example;
// a deployment takes them from its secret store.
func Example() {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()

	decisions, err := verify.NewDecisionSealer(time.Now, store.Key{ID: 1, Secret: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		log.Fatal(err)
	}
	p, err := relyingparty.New(relyingparty.Config{
		Issuer:      srv.URL,
		Decisions:   decisions, // opens the decision tokens of the host's verify.Checker
		Keys:        []store.Key{{ID: 1, Secret: bytes.Repeat([]byte{2}, 32)}},
		SigningKeys: []relyingparty.SigningKey{{ID: "ed-1", Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32))}},
		PairwiseKey: bytes.Repeat([]byte{4}, 32),
		Clients: []relyingparty.Client{{ID: "bank", Name: "Bank", Secret: []byte("bank secret, 32 bytes or more..."),
			RedirectURIs: []string{"https://bank.example/callback"}, Purposes: []string{"account opening"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	h, err := oidcprovider.New(oidcprovider.Config{Provider: p})
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("/", h)

	resp, err := http.Get(srv.URL + oidcprovider.PathDiscovery)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		Issuer     string   `json:"issuer"`
		PKCE       []string `json:"code_challenge_methods_supported"`
		Subjects   []string `json:"subject_types_supported"`
		Algorithms []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Issuer == srv.URL, m.PKCE, m.Subjects, m.Algorithms)
	// Output: true [S256] [pairwise] [EdDSA]
}
