package wallet

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// TestWalletForEveryHolder: a mainland resident, a Hong Kong, a Macao and a Taiwan
// resident holding a residence permit and a foreign permanent resident each get a wallet
// end to end: a decision from the document check of their own document links it, their
// credentials are listed, and their permit is presented, for an internet cafe and, with
// the event and ticket of the request, at a stadium gate; the readers open both.
func TestWalletForEveryHolder(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		kind idcard.Kind
		doc  verify.CredentialKind // the document the holder is checked with and presents
	}{
		{"mainland resident", idcard.Resident, verify.KindIDCard},
		{"Hong Kong or Macao resident", idcard.HKMacaoResidencePermit, verify.KindResidencePermit},
		{"Taiwan resident", idcard.TaiwanResidencePermit, verify.KindResidencePermit},
		{"foreign permanent resident", idcard.ForeignPermanentResident, verify.KindIDCard},
	} {
		t.Run(tt.name, func(t *testing.T) {
			number, err := idcard.Generate(rand.NewChaCha8([32]byte{byte(tt.kind)}), idcard.GenOptions{Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			permit, driver := fixtureOf(tt.doc), fixtureOf(verify.KindDriverLicence)
			permit.Number, driver.Number = number, number
			permit.Holder, driver.Holder = Holder{Name: testName}, Holder{Name: testName}
			e := newEnv(t, withIssuer(t))
			e.src.Set(number, permit, driver)
			holder := HolderRef{IDNumber: number}

			d := decide(t, e.clk.now, number, verify.LevelRealPerson)
			if d.Kind != tt.doc || d.Outcome != verify.OutcomePass {
				t.Fatalf("document check of %v: %v %v (%v)", tt.doc, d.Kind, d.Outcome, d.Reasons)
			}
			res, err := e.w.Link(ctx, LinkRequest{Decision: d.Token, Holder: holder})
			if err != nil || len(res.Changes) != 2 || len(res.Rejected) != 0 {
				t.Fatalf("Link = %+v, %v; want two credentials linked", res, err)
			}
			cs, err := e.w.Credentials(ctx, holder)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []verify.CredentialKind
			var handle Handle
			for _, c := range cs {
				kinds = append(kinds, c.Kind)
				if c.Kind == tt.doc {
					handle = c.Handle
				}
			}
			if diff := cmp.Diff([]verify.CredentialKind{tt.doc, verify.KindDriverLicence}, kinds); diff != "" {
				t.Fatalf("credentials mismatch (-want +got):\n%s", diff)
			}

			cafe, err := e.w.Present(ctx, PresentRequest{Holder: holder, Handle: handle, Purpose: qrtoken.PurposeInternetCafe()})
			if err != nil {
				t.Fatalf("Present(internet cafe): %v", err)
			}
			gate, err := e.w.Present(ctx, PresentRequest{Holder: holder, Handle: handle, Purpose: qrtoken.PurposeStadiumGate(),
				EventID: 20261123, Ticket: "T-20261123-A12-07"})
			if err != nil {
				t.Fatalf("Present(stadium gate): %v", err)
			}
			r, err := qrtoken.NewReader(qrtoken.ReaderConfig{
				Purposes: []qrtoken.Purpose{qrtoken.PurposeInternetCafe(), qrtoken.PurposeStadiumGate()},
				Keys:     []qrtoken.SecretKey{qrKey}, Now: e.clk.now})
			if err != nil {
				t.Fatal(err)
			}
			oc, err := r.Open(ctx, cafe.Code.Text())
			if err != nil || oc.Claims.IDNumber != number || oc.Claims.Name != testName {
				t.Errorf("the cafe's reader: %v, %v; want the holder's name and number", oc.Claims, err)
			}
			og, err := r.Open(ctx, gate.Code.Text())
			if err != nil {
				t.Fatalf("the gate's reader: %v", err)
			}
			wantGate := qrtoken.Claims{Name: testName, MaskedIDNumber: number[:6] + strings.Repeat("*", 8) + number[14:],
				EventID: 20261123, Ticket: "T-20261123-A12-07"}
			if diff := cmp.Diff(wantGate, og.Claims); diff != "" {
				t.Errorf("stadium-gate claims mismatch (-want +got):\n%s", diff)
			}
			if st, err := e.w.CheckPresented(ctx, gate.Code.Text()); err != nil || st.Status != StatusActive || st.Purpose != "stadium-gate" {
				t.Errorf("CheckPresented(gate code) = %+v, %v", st, err)
			}
		})
	}
}

// TestPresentTicketClaims: the event and ticket of a request go into the code only for
// a purpose that carries them, and qrtoken checks them.
func TestPresentTicketClaims(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, withIssuer(t))
	e.link(t)
	id := e.current(t, verify.KindIDCard).Handle
	gate := qrtoken.PurposeStadiumGate()
	for _, tt := range []struct {
		name string
		req  PresentRequest
		want error
	}{
		{"stadium without ticket", PresentRequest{Purpose: gate, EventID: 7}, qrtoken.ErrMissingClaim},
		{"stadium without event", PresentRequest{Purpose: gate, Ticket: "T-1"}, qrtoken.ErrMissingClaim},
		{"ticket too long", PresentRequest{Purpose: gate, EventID: 7, Ticket: strings.Repeat("T", qrtoken.MaxTicketBytes+1)}, qrtoken.ErrInvalidClaim},
		{"ticket with a control character", PresentRequest{Purpose: gate, EventID: 7, Ticket: "T-1\n"}, qrtoken.ErrInvalidClaim},
		{"ticket for the internet cafe", PresentRequest{Purpose: qrtoken.PurposeInternetCafe(), Ticket: "T-1"}, qrtoken.ErrClaimNotInPurpose},
		{"event for the internet cafe", PresentRequest{Purpose: qrtoken.PurposeInternetCafe(), EventID: 7}, qrtoken.ErrClaimNotInPurpose},
	} {
		tt.req.Holder, tt.req.Handle = ref, id
		if _, err := e.w.Present(ctx, tt.req); !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
	}
	if n := len(e.state(t).Presentations); n != 0 {
		t.Errorf("%d presentations recorded for refused codes, want 0", n)
	}
	if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: id, Purpose: gate, EventID: 7, Ticket: "T-1"}); err != nil {
		t.Errorf("Present(stadium gate with event and ticket): %v", err)
	}
}
