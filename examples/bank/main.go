// Command bank shows relying parties signing people in through trustid as an OpenID
// Provider. Three servers run on loopback in one process: the provider (trustid's
// relyingparty core under oidcprovider), a bank's account-opening site and a ticketing
// site. Both sites are ordinary OpenID Connect clients (coreos/go-oidc v3 and
// golang.org/x/oauth2) with no trustid-specific code.
//
// A simulated person passes a document check (the decision token is what their wallet
// would hold), then signs in at the bank twice, once result-only and once releasing name
// and ID number with their consent, and at the ticketing site, which receives another
// pairwise subject for the same person; last, at the ticketing site again, with the wallet
// on their phone scanning the provider's QR code.
//
//	go run ./examples/bank
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/oidcprovider"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bank:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx := context.Background()
	d, err := newDemo(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintf(w, "provider %s, bank %s, ticketing %s\n", d.Provider.URL, d.Bank.URL, d.Tickets.URL)

	tok, err := d.Decide(ctx)
	if err != nil {
		return err
	}
	for _, s := range []struct {
		title  string
		site   *server
		claims string
	}{
		{"bank, result only (the default)", d.Bank, ""},
		{"bank, account opening: name and ID number, with consent", d.Bank, "name id_number"},
		{"ticketing, result only", d.Tickets, ""},
	} {
		got, err := signIn(ctx, s.site.URL, s.claims, tok, true)
		if err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
		fmt.Fprintf(w, "\n%s\n  sub   %s…\n  level %s (%s)\n", s.title, got.Subject[:12], got.Level, strings.Join(got.Evidence, ", "))
		keys := make([]string, 0, len(got.Claims))
		for k := range got.Claims {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-5s %s\n", k, maskValue(k, got.Claims[k]))
		}
		if len(keys) == 0 {
			fmt.Fprintln(w, "  no identity data")
		}
	}

	view, got, err := signInQR(ctx, d.Provider.URL, d.Tickets.URL, "", tok)
	if err != nil {
		return fmt.Errorf("QR sign-in: %w", err)
	}
	fmt.Fprintf(w, "\nticketing, QR sign-in from the phone\n  the wallet shows %q (%s)\n  sub   %s…\n", view.ClientName, view.Purpose, got.Subject[:12])
	return nil
}

// maskValue masks personal data in the demo's output, as a host's logs must.
func maskValue(claim string, v any) string {
	s := fmt.Sprint(v)
	r := []rune(s)
	switch {
	case claim == "name" && len(r) > 1:
		return string(r[:1]) + strings.Repeat("*", len(r)-1)
	case claim == "id_number" && len(r) > 10:
		return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
	}
	return s
}

// demo is the provider and two relying parties on loopback, and the provider's records.
type demo struct {
	Provider, Bank, Tickets *server
	bank, tickets           *site
	bankSecret              string
	checker                 *verify.Checker
	person                  verify.Claim
	records                 *records
}

// server is one HTTP server on a loopback port.
type server struct {
	URL string
	srv *http.Server
}

func listen() (net.Listener, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	return l, "http://" + l.Addr().String(), nil
}

func serve(l net.Listener, url string, h http.Handler) *server {
	s := &server{URL: url, srv: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}}
	go s.srv.Serve(l)
	return s
}

func (d *demo) Close() {
	for _, s := range []*server{d.Provider, d.Bank, d.Tickets} {
		if s != nil {
			s.srv.Close()
		}
	}
}

func key32() []byte { b := make([]byte, 32); rand.Read(b); return b }

func newDemo(ctx context.Context) (*demo, error) {
	// Both sites listen on 127.0.0.1, so each names its sector: by default the sector is
	// the redirect URIs' host, and sites on one host would share pseudonyms.
	//
	// A synthetic person (a 99x sequence code; nobody real), known to the registry.
	number, err := idcard.Generate(rand.Reader, idcard.GenOptions{Region: "110108", Birth: time.Date(1992, 5, 20, 0, 0, 0, 0, time.UTC), Gender: idcard.Female})
	if err != nil {
		return nil, err
	}
	person := verify.Claim{Kind: verify.KindIDCard, Number: number, Name: "林小雨"}
	registry, err := verify.NewMemoryRegistry(verify.Record{Kind: verify.KindIDCard, Number: number, Name: person.Name,
		Status: verify.StatusValid, ValidFrom: verify.DateOf(time.Now().AddDate(-2, 0, 0)), LongTerm: true,
		BirthDate: verify.Date{Year: 1992, Month: 5, Day: 20}})
	if err != nil {
		return nil, err
	}
	checker, err := verify.New(verify.Config{Registry: registry, SubjectKey: key32(), Keys: []store.Key{{ID: 1, Secret: key32()}},
		Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		return nil, err
	}
	d := &demo{checker: checker, person: person, records: &records{m: map[string]relyingparty.Identity{}}}

	pl, purl, err := listen()
	if err != nil {
		return nil, err
	}
	bl, burl, err := listen()
	if err != nil {
		return nil, err
	}
	tl, turl, err := listen()
	if err != nil {
		return nil, err
	}
	signing, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	bankSecret := rand.Text() + rand.Text()
	p, err := relyingparty.New(relyingparty.Config{
		Issuer: purl, Decisions: checker.Decisions(), Keys: []store.Key{{ID: 1, Secret: key32()}},
		SigningKeys: []relyingparty.SigningKey{{ID: "2026-12", Key: signing}}, PairwiseKey: key32(), Identities: d.records,
		Clients: []relyingparty.Client{
			{ID: "bank", Name: "示例银行 Example Bank", Secret: []byte(bankSecret), RedirectURIs: []string{burl + "/callback"},
				Claims: []relyingparty.Claim{relyingparty.ClaimName, relyingparty.ClaimIDNumber}, Purposes: []string{"account opening (anti-money-laundering law)"},
				Sector: "bank.example"},
			{ID: "tickets", Name: "演出票务 Tickets", RedirectURIs: []string{turl + "/callback"}, Purposes: []string{"real-name ticketing"},
				Sector: "tickets.example"},
		},
	})
	if err != nil {
		return nil, err
	}
	h, err := oidcprovider.New(oidcprovider.Config{Provider: p, Notice: "2026-12-v1"})
	if err != nil {
		return nil, err
	}
	d.Provider = serve(pl, purl, h)
	bank, err := newSite(ctx, "Example Bank", purl, "bank", bankSecret, burl)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Bank, d.bank, d.bankSecret = serve(bl, burl, bank), bank, bankSecret
	tickets, err := newSite(ctx, "Tickets", purl, "tickets", "", turl)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Tickets, d.tickets = serve(tl, turl, tickets), tickets
	return d, nil
}

// Decide runs the person's document check and returns the decision token their wallet
// would hold. The provider's host keeps who the check was about, for released claims.
func (d *demo) Decide(ctx context.Context) (string, error) {
	doc, err := d.checker.CheckDocument(ctx, d.person)
	if err != nil {
		return "", err
	}
	dec := d.checker.Decide(doc, nil, nil)
	if !dec.Passed() {
		return "", fmt.Errorf("decision %v", dec.Outcome)
	}
	d.records.put(dec.CheckID, relyingparty.Identity{Name: d.person.Name, IDNumber: d.person.Number})
	return dec.Token, nil
}
