package verify_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

// TestNoPersonalDataInOutput formats every exported type that can carry personal data
// with %v, %+v, %#v, %s, %q and slog JSON, and checks that no name, full number,
// address, birth date or photo reference appears.
func TestNoPersonalDataInOutput(t *testing.T) {
	reg := loadFixture(t)
	rec, err := reg.Lookup(t.Context(), verify.KindIDCard, numAyguli)
	if err != nil {
		t.Fatal(err)
	}
	claim := verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽·买买提", LatinName: "AYGULI MAMAT",
		Gender: idcard.Female, BirthDate: date(1995, 6, 12), Address: "新疆乌鲁木齐市天山区解放南路100号"}
	c := newChecker(t, reg, testNow, verify.Policy{Required: verify.LevelHigh})
	doc, err := c.CheckDocument(t.Context(), claim)
	if err != nil {
		t.Fatal(err)
	}
	dec := c.Decide(doc, fakeRealPerson{subject: doc.Subject, liveness: true, face: true}, nil)
	_, regErr := newChecker(t, &countingRegistry{err: errBackendDown}, testNow, verify.Policy{}).CheckDocument(t.Context(), claim)
	_, loadErr := verify.LoadRegistry(strings.NewReader(`[{"kind":"id-card","number":"` + numAyguli + `","name":"阿依古丽","bogus":1}]`))
	_, dupErr := verify.NewMemoryRegistry(verify.Record{Number: numAyguli, Name: "阿依古丽"})

	secrets := []string{
		numAyguli, "阿依古丽", "买买提", "AYGULI", "MAMAT", "解放南路", "乌鲁木齐", "1995-06-12", "19950612",
		"photo/ayguli.jpg", "secret-user-handle",
	}
	values := map[string]any{
		"Claim": claim, "*Claim": &claim, "Record": *rec, "*Record": rec,
		"*DocumentResult": doc, "DocumentResult": *doc,
		"Decision": dec, "*Decision": &dec,
		"registry error": regErr, "load error": loadErr, "record error": dupErr,
		"*MemoryRegistry": reg, "*Checker": c, "Fields": doc.Fields,
		"Config": verify.Config{Registry: reg, SubjectKey: []byte("secret-user-handle-0123456789abcdef")},
	}
	for name, v := range values {
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		outs = append(outs, buf.String())
		for _, out := range outs {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s: output contains personal data %q: %s", name, s, out)
				}
			}
		}
	}
	// A host's struct holding a result by value: fmt must still use the masked form.
	// (encoding/json, and so slog's JSON handler, marshal such a struct field by field.)
	holder := struct{ D verify.DocumentResult }{*doc}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if out := fmt.Sprintf(verb, holder); strings.Contains(out, "photo/ayguli.jpg") || strings.Contains(out, "secret-user-handle") {
			t.Errorf("%s of a struct holding a DocumentResult: %s", verb, out)
		}
	}
	if regErr == nil || loadErr == nil || dupErr == nil {
		t.Fatalf("expected errors, got %v, %v, %v", regErr, loadErr, dupErr)
	}
	if !errors.Is(loadErr, verify.ErrInvalidArgument) || !errors.Is(dupErr, verify.ErrInvalidArgument) {
		t.Errorf("load errors do not match ErrInvalidArgument: %v, %v", loadErr, dupErr)
	}
	// The masked forms still say something useful.
	if got := fmt.Sprint(claim); !strings.Contains(got, "650102********0027") {
		t.Errorf("masked claim %q lacks the masked number", got)
	}
}

// TestLoggerGetsNoPersonalData runs checks with a JSON logger and scans the log.
func TestLoggerGetsNoPersonalData(t *testing.T) {
	var buf bytes.Buffer
	c, err := verify.New(verify.Config{Registry: loadFixture(t), Now: fixedClock(testNow), SubjectKey: testKey, Keys: testSealKeys,
		Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "上海市徐汇区"})
	if err != nil {
		t.Fatal(err)
	}
	c.Decide(doc, nil, nil)
	if buf.Len() == 0 {
		t.Fatal("nothing logged")
	}
	for _, s := range []string{numZhangWei, "张伟", "上海", "photo/zhang-wei.jpg", doc.Subject} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("log contains %q: %s", s, buf.String())
		}
	}
}
