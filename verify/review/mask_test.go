package review_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// printed renders v through every fmt verb and both log/slog handlers, the outputs a
// host logs or prints.
func printed(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["[]"+verb] = fmt.Sprintf(verb, []any{v})
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("m", "v", v)
		out[name] = b.String()
	}
	return out
}

// TestMaterialRefMaskedInOutput: a material's reference (an object key, which may hold a
// name and an ID number) never shows in fmt or log/slog output, the JSON handler
// included; its JSON (the Store format) keeps it whole so a stored case round-trips.
func TestMaterialRefMaskedInOutput(t *testing.T) {
	const ref = "uploads/王小明-11010519491231002X.jpg"
	m := review.Material{Kind: "id-card-front", Ref: ref, Digest: sha256.Sum256([]byte("scan"))}
	for _, v := range []any{m, &m} {
		for k, out := range printed(v) {
			for _, s := range []string{"王小明", "11010519491231002X", "uploads/"} {
				if strings.Contains(out, s) {
					t.Errorf("%s of %T shows %q: %s", k, v, s, out)
				}
			}
			if !strings.Contains(out, "id-card-front") && !strings.Contains(out, fmt.Sprintf("%x", "id-card-front")) {
				t.Errorf("%s of %T lost the kind: %s", k, v, out)
			}
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back review.Material
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, back); diff != "" {
		t.Errorf("Material JSON round trip mismatch (-want +got):\n%s", diff)
	}
}

// TestDecisionTokensMaskedInOutput: the sealed decision a Notice and an Approval carry is
// a bearer credential for linking a wallet; it never shows in fmt or log/slog output.
// Their JSON (part of the Case's Store format) keeps it whole.
func TestDecisionTokensMaskedInOutput(t *testing.T) {
	const token = "SEALED-DECISION-TOKEN-3f9a"
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	n := review.Notice{Key: "rv-1/3", Kind: review.NoticeApproved, Case: "rv-1", Applicant: "acct-42",
		Reasons: []verify.Reason{review.ReasonMaterialUnclear}, Decision: token, Created: at}
	a := review.Approval{Token: token, Level: verify.LevelRealName, DecidedAt: at, ValidUntil: at.Add(30 * time.Minute)}
	for _, v := range []any{n, &n, a, &a} {
		for k, out := range printed(v) {
			if strings.Contains(out, token) || strings.Contains(out, fmt.Sprintf("%x", token)) {
				t.Errorf("%s of %T shows the decision token: %s", k, v, out)
			}
		}
	}
	if got, want := n.String(), "notice rv-1/3 approved case=rv-1 applicant=acct-42 decision=[redacted]"; got != want {
		t.Errorf("Notice.String() = %q, want %q", got, want)
	}
	for _, v := range []any{n, a} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), token) {
			t.Errorf("JSON of %T (the Store format) lost the token: %s", v, b)
		}
	}
}
