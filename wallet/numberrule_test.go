package wallet

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// anyRegistry answers every lookup with a valid record named testName and remembers the
// number it was asked for: the registry key of the document check.
type anyRegistry struct {
	mu   sync.Mutex
	last string
}

func (r *anyRegistry) Lookup(_ context.Context, k verify.CredentialKind, number string) (*verify.Record, error) {
	r.mu.Lock()
	r.last = number
	r.mu.Unlock()
	return &verify.Record{Kind: k, Number: number, Name: testName, Status: verify.StatusValid,
		ValidFrom: date("2020-01-01"), LongTerm: true}, nil
}

// numberGen draws candidate numbers for a credential kind: valid numbers of every
// identity-number kind and docnum format (about half of them), spelt as people type
// them (lower case, spaces, hyphens, full width, plate separators), and near misses.
type numberGen struct {
	r   *rand.Rand
	src *rand.ChaCha8
}

func (g numberGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g numberGen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// idNumber returns an identity number of a random idcard kind, sometimes with a county
// code missing from idcard's region table (a loose-region number).
func (g numberGen) idNumber(t *testing.T) string {
	kinds := []idcard.Kind{idcard.Resident, idcard.Resident, idcard.ResidentLegacy15,
		idcard.HKMacaoResidencePermit, idcard.TaiwanResidencePermit, idcard.ForeignPermanentResident}
	k := kinds[g.r.IntN(len(kinds))]
	n, err := idcard.Generate(g.src, idcard.GenOptions{Kind: k})
	if err != nil {
		t.Fatalf("idcard.Generate(%v): %v", k, err)
	}
	if k == idcard.Resident && g.r.IntN(3) == 0 {
		// County 99 of the province: in no region table, accepted with a loose region.
		c, err := idcard.CheckChar(n[:2] + "0099" + n[6:17])
		if err != nil {
			t.Fatal(err)
		}
		n = n[:2] + "0099" + n[6:17] + string(c)
	}
	return n
}

// docNumber returns a passport, travel permit or plate number, mostly of the family of
// the credential kind k, else of another.
func (g numberGen) docNumber(k verify.CredentialKind) string {
	family := g.r.IntN(4)
	if g.r.IntN(4) != 0 {
		switch k {
		case verify.KindPassport:
			family = 0
		case verify.KindHKMacaoPermit:
			family = 1
		case verify.KindTaiwanPermit:
			family = 2
		case verify.KindVehicleLicence:
			family = 3
		}
	}
	switch family {
	case 0:
		return g.pick("E", "E", "G", "K", "DE", "SE", "PE", "MA", "EA", "EI", "X") + g.digits(7+g.r.IntN(2))
	case 1:
		return g.pick("C", "W", "CA", "CO", "H", "M") + g.digits(7+g.r.IntN(2))
	case 2:
		return g.pick("L", "T", "LI", "TW") + g.digits(7+g.r.IntN(2))
	default:
		return g.pick("京", "沪", "粤", "港", "X") + g.pick("A", "B", "O", "Z") + g.pick("", "·", " ", "-", ".") +
			g.pick("", "", "D", "F") + g.digits(4) + g.pick("", "1", "学", "A", "D")
	}
}

// spell writes s as a person or an OCR engine might: lower case, full-width forms,
// spaces and hyphens.
func (g numberGen) spell(s string) string {
	switch g.r.IntN(6) {
	case 0:
		return strings.ToLower(s)
	case 1:
		return strings.Map(func(r rune) rune {
			if r >= '!' && r <= '~' {
				return r + 0xFEE0 // full-width form
			}
			return r
		}, s)
	case 2:
		i := g.r.IntN(len(s) + 1)
		return s[:i] + g.pick(" ", "-", "\u3000", "\u200b") + s[i:]
	case 3:
		return " " + s + " "
	}
	return s
}

// TestNumberRulesAgree is the property that the document check and the wallet apply one
// number rule: any number CheckDocument accepts for a kind, Validate accepts for that
// kind (and Link links, for its holder), with the same canonical number; and any number
// CheckDocument refuses as malformed, Validate refuses too.
func TestNumberRulesAgree(t *testing.T) {
	ctx := context.Background()
	reg := &anyRegistry{}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	newChecker := func(strict bool) *verify.Checker {
		c, err := verify.New(verify.Config{Registry: reg, Now: func() time.Time { return now },
			SubjectKey: make([]byte, 32), Keys: []store.Key{{ID: 1, Secret: make([]byte, 32)}},
			Policy: verify.Policy{Required: verify.LevelRealName}, StrictRegion: strict})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	loose, strict := newChecker(false), newChecker(true)
	g := numberGen{r: rand.New(rand.NewPCG(13, 2026)), src: rand.NewChaCha8([32]byte{13})}

	kinds := []verify.CredentialKind{verify.KindIDCard, verify.KindPassport, verify.KindHKMacaoPermit,
		verify.KindTaiwanPermit, verify.KindHouseholdRegister, verify.KindResidencePermit,
		verify.KindDriverLicence, verify.KindVehicleLicence}
	for _, k := range kinds {
		accepted, refused, linked := 0, 0, 0
		for range 300 {
			var number string
			if k.IdentityNumbered() == (g.r.IntN(5) != 0) {
				number = g.idNumber(t)
			} else {
				number = g.docNumber(k)
			}
			number = g.spell(number)
			cl := verify.Claim{Kind: k, Number: number, Name: testName}

			res, err := loose.CheckDocument(ctx, cl)
			if err != nil {
				t.Fatalf("CheckDocument(%v): %v", k, err)
			}
			c := fixtureOf(k)
			c.Number = number
			c.Holder = Holder{Name: testName}
			holder := holderID
			if k.IdentityNumbered() {
				holder = number // the credential of the holder it names
			}
			got, verr := Validate(c, holder, now)
			if res.Has(verify.ReasonNumberInvalid) || res.Has(verify.ReasonFieldInvalidText) || res.Has(verify.ReasonFieldTooLong) {
				refused++
				if ReasonOf(verr) != ReasonNumberInvalid {
					t.Errorf("%v %q: the document check refuses the number, Validate: %v", k, number, verr)
				}
				continue
			}
			if res.Legacy {
				continue // a first-generation card: the document check fails it after 2012
			}
			if res.Outcome != verify.OutcomePass {
				t.Fatalf("%v %q: document check %v, want pass from anyRegistry", k, number, res)
			}
			accepted++
			if verr != nil {
				t.Errorf("%v %q: the document check accepts the number, Validate: %v", k, number, verr)
				continue
			}
			if got.Number != reg.last {
				t.Errorf("%v %q: Validate's canonical number %q, the document check's registry key %q", k, number, got.Number, reg.last)
			}
			if sres, err := strict.CheckDocument(ctx, cl); err != nil || sres.Outcome == verify.OutcomePass && sres.Has(verify.ReasonNumberInvalid) {
				t.Fatalf("strict CheckDocument(%v): %v, %v", k, sres, err)
			}

			// End to end, for the holder the number names: the decision of this check
			// links the credential.
			if !k.IdentityNumbered() {
				continue
			}
			src := NewMemorySource()
			src.Set(number, c)
			w, err := New(Config{Source: src, RequiredLevel: verify.LevelRealName, Now: func() time.Time { return now },
				Decisions: loose.Decisions()})
			if err != nil {
				t.Fatal(err)
			}
			d := loose.Decide(res, nil, nil)
			lr, err := w.Link(ctx, LinkRequest{Decision: d.Token, Holder: HolderRef{IDNumber: number}})
			if err != nil || len(lr.Rejected) != 0 || len(lr.Changes) != 1 {
				t.Errorf("%v %q: Link after a passing document check = %+v, %v; want one linked credential", k, number, lr, err)
				continue
			}
			linked++
		}
		if accepted < 20 || refused < 20 {
			t.Errorf("%v: %d numbers accepted, %d refused: the generator does not reach both sides", k, accepted, refused)
		}
		if k.IdentityNumbered() && linked != accepted {
			t.Errorf("%v: %d of %d accepted numbers linked", k, linked, accepted)
		}
	}
}

// TestNumberRuleTable pins the rows of the rule table that matter to holders: which
// identity numbers each identity-numbered kind accepts.
func TestNumberRuleTable(t *testing.T) {
	now := testNow
	gen := func(k idcard.Kind) string {
		n, err := idcard.Generate(rand.NewChaCha8([32]byte{byte(k)}), idcard.GenOptions{Kind: k})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	idKinds := []idcard.Kind{idcard.Resident, idcard.HKMacaoResidencePermit, idcard.TaiwanResidencePermit, idcard.ForeignPermanentResident}
	want := map[verify.CredentialKind][]bool{
		verify.KindIDCard:            {true, false, false, true},
		verify.KindHouseholdRegister: {true, false, false, false},
		verify.KindResidencePermit:   {true, true, true, false},
		verify.KindDriverLicence:     {true, true, true, true},
		verify.KindPassport:          {false, false, false, false},
		verify.KindVehicleLicence:    {false, false, false, false},
	}
	for k, w := range want {
		got := make([]bool, len(idKinds))
		for i, ik := range idKinds {
			n := gen(ik)
			c := fixtureOf(k)
			c.Number = n
			_, err := Validate(c, n, now)
			got[i] = err == nil
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%v accepts resident, HK/Macao permit, Taiwan permit, foreign permanent resident: mismatch (-want +got):\n%s", k, diff)
		}
	}
}
