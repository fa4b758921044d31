package verify_test

import (
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/verifytest"
)

func TestMemoryRegistryConformance(t *testing.T) {
	verifytest.Registry(t, func(t *testing.T, records []verify.Record) verify.Registry {
		reg, err := verify.NewMemoryRegistry(records...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	})
}

// The fixture and the conformance records must be well-formed: every resident ID number
// parses (valid GB 11643 check character) and loads.
func TestFixtureNumbersValid(t *testing.T) {
	reg := loadFixture(t)
	if reg.Len() != 11 {
		t.Errorf("fixture holds %d records, want 11", reg.Len())
	}
	c := newChecker(t, reg, testNow, verify.Policy{AddressMismatch: verify.ActionIgnore})
	for _, r := range verifytest.Records() {
		res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: r.Kind, Number: r.Number, Name: r.Name})
		if err != nil {
			t.Fatal(err)
		}
		if res.Has(verify.ReasonNumberInvalid) {
			t.Errorf("conformance record %v has an invalid number", r)
		}
	}
}
