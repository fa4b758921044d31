package verify_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/trustid/trustid/verify"
)

// FuzzLoadRegistry feeds arbitrary JSON to the fixture loader: it never panics, and it
// either fails with ErrInvalidArgument or returns a registry whose records can be looked up.
func FuzzLoadRegistry(f *testing.F) {
	fixture, err := os.ReadFile("testdata/registry.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"kind":"passport","number":"E12345678","birth_date":"1993-02-30"}]`))
	f.Add([]byte(`[{"kind":"id-card","number":" ","status":"valid"}]`))
	f.Add([]byte(`[{"kind":"nope"}]`))
	f.Add([]byte(`{"kind":"id-card"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := verify.LoadRegistry(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, verify.ErrInvalidArgument) {
				t.Fatalf("LoadRegistry error %v does not match ErrInvalidArgument", err)
			}
			return
		}
		if reg.Len() < 0 {
			t.Fatal("negative length")
		}
	})
}

// FuzzCheckDocument checks arbitrary claims against the fixture: no panic, no error
// from the in-memory registry, a reason for every non-pass outcome, and no raw number
// in the result's formatted output.
func FuzzCheckDocument(f *testing.F) {
	reg := loadFixture(f)
	c := newChecker(f, reg, testNow, verify.Policy{})
	f.Add(uint8(1), numAyguli, "阿依古丽・买买提", "", "新疆乌鲁木齐市")
	f.Add(uint8(1), numSun15, "孙建国", "", "")
	f.Add(uint8(1), numMueller, "", "MÜLLER<<ANNA", "")
	f.Add(uint8(2), "E12345678", "吕小红", "LYU XIAOHONG", "")
	f.Add(uint8(9), "x", "", "", "")
	f.Fuzz(func(t *testing.T, kind uint8, number, name, latin, address string) {
		res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.CredentialKind(kind), Number: number, Name: name, LatinName: latin, Address: address})
		if err != nil {
			t.Fatalf("CheckDocument: unexpected error %v", err)
		}
		if res.Outcome != verify.OutcomePass && len(res.Reasons) == 0 {
			t.Fatalf("outcome %v without reasons", res.Outcome)
		}
		if n := verify.NormalizeNumber(number); len(n) >= 8 && strings.Contains(res.String(), n) {
			t.Fatalf("result %q contains the number", res)
		}
		_ = c.Decide(res, rpFor(res, true, true), memFor(res, true))
	})
}

func TestCheckerConcurrent(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{Required: verify.LevelRealPerson})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			num, name := numZhangWei, "张伟"
			if i%2 == 1 {
				num, name = numZhaoLei, "赵磊"
			}
			for range 50 {
				doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: num, Name: name})
				if err != nil {
					t.Error(err)
					return
				}
				d := c.Decide(doc, rpFor(doc, true, true), nil)
				if want := i%2 == 0; d.Passed() != want {
					t.Errorf("goroutine %d: decision %v", i, d)
					return
				}
			}
		})
	}
	wg.Wait()
}

// FuzzOpenTokens feeds arbitrary text to the openers of the sealed tokens a journey hands
// between servers. Property: no panic; a token opens only if this checker sealed it (the
// seeds' genuine tokens), and every failure is ErrNotAuthentic or ErrExpired.
func FuzzOpenTokens(f *testing.F) {
	c := newChecker(f, loadFixture(f), testNow, verify.Policy{})
	doc, err := c.CheckDocument(context.Background(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		f.Fatal(err)
	}
	docTok, err := c.SealDocument(doc)
	if err != nil {
		f.Fatal(err)
	}
	d := c.Decide(doc, nil, nil)
	f.Add(docTok)
	f.Add(d.Token)
	f.Add(docTok[:len(docTok)/2])
	f.Add("")
	f.Add(strings.Repeat("A", 300))
	f.Fuzz(func(t *testing.T, tok string) {
		for name, open := range map[string]func(string) error{
			"OpenDocument": func(s string) error { _, err := c.OpenDocument(s); return err },
			"OpenDecision": func(s string) error { _, err := c.Decisions().Open(s); return err },
		} {
			err := open(tok)
			if err != nil && !errors.Is(err, verify.ErrNotAuthentic) && !errors.Is(err, verify.ErrExpired) {
				t.Fatalf("%s(%q) error %v is neither ErrNotAuthentic nor ErrExpired", name, tok, err)
			}
		}
	})
}
