package verify_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
)

// TestCheckDocumentFieldLimits: a claimed field over its limit, or holding invalid UTF-8
// or a bidirectional control, fails before the registry is asked, whatever the rest of
// the claim; a field at its limit passes the check.
func TestCheckDocumentFieldLimits(t *testing.T) {
	ok := verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"}
	with := func(f func(*verify.Claim)) verify.Claim { c := ok; f(&c); return c }
	tests := []struct {
		name  string
		claim verify.Claim
		want  []verify.Reason // nil: the input check passed
	}{
		{"number over the limit", with(func(c *verify.Claim) { c.Number = numZhangWei + strings.Repeat(" ", verify.MaxNumberBytes) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"number over the limit, invalid kind", verify.Claim{Number: strings.Repeat("\uFDFA", 1000)}, []verify.Reason{verify.ReasonFieldTooLong}},
		{"name over the limit", with(func(c *verify.Claim) { c.Name = strings.Repeat("\uFDFA", verify.MaxNameBytes/3+1) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"Latin name over the limit", with(func(c *verify.Claim) { c.LatinName = "ÄÖÜÅÄÖ" + strings.Repeat("A ", verify.MaxNameBytes) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"nationality over the limit", with(func(c *verify.Claim) { c.Nationality = strings.Repeat("C", verify.MaxNameBytes+1) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"ethnicity over the limit", with(func(c *verify.Claim) { c.Ethnicity = strings.Repeat("汉", verify.MaxNameBytes) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"address over the limit", with(func(c *verify.Claim) { c.Address = strings.Repeat("\uFDFA", verify.MaxAddressBytes/3+1) }), []verify.Reason{verify.ReasonFieldTooLong}},
		{"name with invalid UTF-8", with(func(c *verify.Claim) { c.Name = "张\xff伟" }), []verify.Reason{verify.ReasonFieldInvalidText}},
		{"name with a right-to-left override", with(func(c *verify.Claim) { c.Name = "\u202E伟张" }), []verify.Reason{verify.ReasonFieldInvalidText}},
		{"address with a left-to-right isolate", with(func(c *verify.Claim) { c.Address = "北京市\u2066朝阳区" }), []verify.Reason{verify.ReasonFieldInvalidText}},
		{"Latin name with an Arabic letter mark", with(func(c *verify.Claim) { c.LatinName = "ZHANG\u061C WEI" }), []verify.Reason{verify.ReasonFieldInvalidText}},
		{"number at the limit", with(func(c *verify.Claim) {
			c.Number = numZhangWei + strings.Repeat(" ", verify.MaxNumberBytes-len(numZhangWei))
		}), nil},
		{"address at the limit", with(func(c *verify.Claim) {
			c.Address = "北京市朝阳区建国路88号院3号楼2单元501室" + strings.Repeat(" ", verify.MaxAddressBytes-len("北京市朝阳区建国路88号院3号楼2单元501室"))
		}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := &countingRegistry{next: loadFixture(t)}
			c := newChecker(t, reg, testNow, verify.Policy{})
			res, err := c.CheckDocument(t.Context(), tt.claim)
			if err != nil {
				t.Fatalf("CheckDocument: %v", err)
			}
			if tt.want == nil {
				if res.Has(verify.ReasonFieldTooLong) || res.Has(verify.ReasonFieldInvalidText) || reg.calls.Load() != 1 {
					t.Errorf("CheckDocument = %v with %d registry calls, want the input check passed", res, reg.calls.Load())
				}
				return
			}
			if diff := cmp.Diff(docWant{Outcome: verify.OutcomeFail, Reasons: tt.want}, gotDoc(res)); diff != "" {
				t.Errorf("CheckDocument mismatch (-want +got):\n%s", diff)
			}
			if n := reg.calls.Load(); n != 0 {
				t.Errorf("registry called %d times, want 0", n)
			}
		})
	}
}

// TestRegistryFieldLimits: the loader holds records to the limits of a claim.
func TestRegistryFieldLimits(t *testing.T) {
	rec := verify.Record{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", LongTerm: true, Status: verify.StatusValid}
	tests := []struct {
		name   string
		mod    func(*verify.Record)
		reason verify.Reason
		field  string
	}{
		{"number", func(r *verify.Record) { r.Number += strings.Repeat(" ", verify.MaxNumberBytes) }, verify.ReasonFieldTooLong, "number"},
		{"name", func(r *verify.Record) { r.Name = strings.Repeat("张", verify.MaxNameBytes/3+1) }, verify.ReasonFieldTooLong, "name"},
		{"latin name", func(r *verify.Record) { r.LatinName = strings.Repeat("A", verify.MaxNameBytes+1) }, verify.ReasonFieldTooLong, "latin_name"},
		{"ethnicity", func(r *verify.Record) { r.Ethnicity = strings.Repeat("汉", 100) }, verify.ReasonFieldTooLong, "ethnicity"},
		{"address", func(r *verify.Record) { r.Address = strings.Repeat("北", verify.MaxAddressBytes) }, verify.ReasonFieldTooLong, "address"},
		{"name with invalid UTF-8", func(r *verify.Record) { r.Name = "王\xff" }, verify.ReasonFieldInvalidText, "name"},
		{"name with a bidi control", func(r *verify.Record) { r.Name = "\u202E张伟" }, verify.ReasonFieldInvalidText, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rec
			tt.mod(&r)
			_, err := verify.NewMemoryRegistry(r)
			if !errors.Is(err, verify.ErrInvalidArgument) {
				t.Fatalf("NewMemoryRegistry error = %v, want ErrInvalidArgument", err)
			}
			var e *verify.Error
			if !errors.As(err, &e) {
				t.Fatalf("NewMemoryRegistry error %v is not a *verify.Error", err)
			}
			if diff := cmp.Diff(verify.Error{Reason: tt.reason, Field: tt.field}, *e); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if strings.Contains(err.Error(), r.Name) && r.Name != "" || strings.Contains(err.Error(), "张") {
				t.Errorf("error %q holds personal data", err)
			}
		})
	}
	// The JSON loader gives the same error.
	big := `[{"kind":"id-card","number":"` + numZhangWei + `","name":"张伟","address":"` + strings.Repeat("北", verify.MaxAddressBytes) + `","status":"valid","long_term":true}]`
	_, err := verify.LoadRegistry(strings.NewReader(big))
	var e *verify.Error
	if !errors.Is(err, verify.ErrInvalidArgument) || !errors.As(err, &e) || e.Field != "address" || e.Reason != verify.ReasonFieldTooLong {
		t.Errorf("LoadRegistry error = %v, want *verify.Error{field_too_long, address}", err)
	}
}

// TestExportedFunctionsBounded: the exported normalisation and matching functions do
// bounded work on input of any length, and a huge side never matches.
func TestExportedFunctionsBounded(t *testing.T) {
	huge := strings.Repeat("\uFDFA", 1<<20/3) // 1 MB, 18 characters each after NFKC
	hugeLatin := "ÄÖÜÅÄÖ" + strings.Repeat("A ", 1<<19)
	for name, got := range map[string]string{
		"NormalizeName":    verify.NormalizeName(huge),
		"NormalizeAddress": verify.NormalizeAddress(huge),
	} {
		if len(got) > verify.MaxNormalizeBytes {
			t.Errorf("%s(1 MB) returned %d bytes, want at most %d", name, len(got), verify.MaxNormalizeBytes)
		}
		if again := verify.NormalizeName(got); name == "NormalizeName" && again != got {
			t.Errorf("NormalizeName not idempotent on a truncated result")
		}
	}
	if n := len(verify.NormalizeNumber(huge)); n > 18*verify.MaxNormalizeBytes {
		t.Errorf("NormalizeNumber(1 MB) returned %d bytes", n)
	}
	total := 0
	for _, f := range verify.LatinNameForms(hugeLatin) {
		total += len(f)
	}
	if total > 32<<10 {
		t.Errorf("LatinNameForms(1 MB) returned %d bytes in all, want at most 32 KiB", total)
	}
	for name, got := range map[string]verify.FieldResult{
		"MatchName":      verify.MatchName(huge, huge),
		"MatchLatinName": verify.MatchLatinName(hugeLatin, hugeLatin),
		"MatchAddress":   verify.MatchAddress(huge, huge),
		// Equal in their first MaxNormalizeBytes bytes, different after.
		"MatchName prefix": verify.MatchName(strings.Repeat("张", 2000)+"伟", strings.Repeat("张", 2000)+"玮"),
	} {
		if got != verify.FieldMismatch {
			t.Errorf("%s(huge, huge) = %v, want mismatch", name, got)
		}
	}
	allocs := testing.AllocsPerRun(3, func() { verify.MatchLatinName(hugeLatin, "MUELLER") })
	if allocs > 0 {
		t.Errorf("MatchLatinName of a name over the limit allocated %v times, want 0", allocs)
	}
}
