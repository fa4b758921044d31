package main

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var (
	fullIDNumber = regexp.MustCompile(`\d{17}[\dX]`)
	fullNames    = []string{"王建国", "李秀英", "陈志强", "赵丽娜", "张伟", "阿依古丽·买买提", "阿依古丽买买提"}
	start        = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
)

// inOrder reports the first of want that does not occur in out after the previous one.
func inOrder(out string, want []string) (missing string, ok bool) {
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			return w, false
		}
		rest = rest[i+len(w):]
	}
	return "", true
}

func checkPrivacy(t *testing.T, out string) {
	t.Helper()
	if m := fullIDNumber.FindString(out); m != "" {
		t.Errorf("output contains a full ID number %q", m)
	}
	for _, name := range fullNames {
		if strings.Contains(out, name) {
			t.Errorf("output contains the full name %q", name)
		}
	}
}

func TestRunScript(t *testing.T) {
	var buf bytes.Buffer
	// Seeded so that the synthetic numbers are the same on every run (case IDs come from
	// crypto/rand); the assertions below depend on neither.
	if err := run(&buf, config{Start: start, Rand: rand.NewChaCha8([32]byte{1})}); err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	out := buf.String()
	want := []string{
		// Automatic checks and assignment: conflict, least loaded, capacity.
		"→ case #1 in_review (automatic check: review name_lenient_match), reviewer r-liu, deadline 2026-11-26 09:00",
		"→ case #2 approved (automatic check: pass real_name_verified,real_person_verified), valid until 2027-11-23",
		"[rejected] 认证未通过 / Certification not approved",
		"Reason: The document has expired.",
		"→ case #3 rejected (automatic check: fail document_expired), reasons document_expired",
		"→ case #4 in_review (automatic check: review document_reported_lost), reviewer r-sun",
		"→ case #5 in_review (automatic check: review face_match_failed), reviewer r-zhou",
		// Rate limit and cool-off.
		"→ case #5 withdrawn",
		"→ case #6 in_review",
		"→ REFUSED rate_limited; may apply again from 2026-11-24 09:20",
		"→ REFUSED cooling_off; may apply again from 2026-11-24 09:10",
		// Supplement, progress, resubmission, decisions.
		"[supplement_requested] 请补正认证材料 / Please supplement your material",
		"→ case #1 supplement_requested, applicant's deadline 2026-11-30 11:00",
		"status: 需要补正材料。 / More material is needed.",
		"reason material_unclear: 材料不清晰或不完整。 / The material is illegible or incomplete.",
		"history: draft(applicant) submit(applicant) check(system) check_review(system) assign(system) request_supplement(reviewer)",
		"→ case #1 resubmitted, reviewer r-liu, deadline 2026-11-27 09:00",
		"→ case #1 approved, valid until 2027-11-24",
		"checkpoint signed for case #1: 8 records",
		"→ REFUSED review: not_assigned",
		"→ case #4 rejected, reasons document_reported_lost,material_inconsistent",
		"may re-apply from: 2026-11-25 12:00 UTC",
		"reason document_reported_lost: 证件已挂失。 / The document has been reported lost.",
		"→ case #6 approved",
		"→ case #3 approved (automatic check: pass real_name_verified,real_person_verified), valid until 2027-11-24",
		// Re-review.
		"due for re-review: 0",
		"due for re-review: 4",
		"sweep: 4 expired",
		// Audit trail.
		"audit chain of case #1 (9 records):",
		"verify: chain OK",
		"verify against the signed checkpoint (seq 8): OK",
		"import of the tampered export: FAILED at index 7 (hash)",
		"edited record with its hash recomputed: FAILED at index 8 (prev)",
		"every later hash recomputed too: chain check OK, signed checkpoint FAILED",
		"last records cut off (7 of 9 kept): chain check OK, signed checkpoint FAILED",
		// A journey's decision in, a trusted referee's decision out.
		"journey decision: review level=real-person",
		"→ REFUSED review: not_authentic (Decision)",
		"→ case #7 in_review (automatic check: review real_name_verified,name_lenient_match,real_person_verified), reviewer r-liu",
		"the reviewer sees the journey: review at real-person",
		"→ case #7 approved",
		"approval decision: pass level=real-person",
		"referee r-liu on case #7, rationale name_confirmed_by_document",
		"same person as the journey: true; same subject: true",
		"audit record 6: reviewer:r-liu approve, level real-person, rationale name_confirmed_by_document",
		"all steps behaved as expected",
	}
	if missing, ok := inOrder(out, want); !ok {
		t.Errorf("run output lacks (in order) %q:\n%s", missing, out)
	}
	counts := map[string]int{}
	for line := range strings.Lines(out) {
		if _, rest, ok := strings.Cut(line, "✉ to "); ok {
			ref, kind, _ := strings.Cut(rest, " ")
			kind, _, _ = strings.Cut(kind, "]")
			counts[ref+" "+strings.TrimPrefix(kind, "[")]++
		}
	}
	wantCounts := map[string]int{
		"acct-1001 submitted": 1, "acct-1001 supplement_requested": 1, "acct-1001 approved": 1, "acct-1001 review_due": 1,
		"acct-1002 submitted": 1, "acct-1002 approved": 1, "acct-1002 review_due": 1,
		"acct-1003 submitted": 2, "acct-1003 rejected": 1, "acct-1003 approved": 1, "acct-1003 review_due": 1,
		"acct-1004 submitted": 1, "acct-1004 rejected": 1,
		"acct-1005 submitted": 2, "acct-1005 approved": 1, "acct-1005 review_due": 1,
		"acct-1006 submitted": 1, "acct-1006 approved": 1,
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("notices by applicant and kind mismatch (-want +got):\n%s", diff)
	}
	checkPrivacy(t, out)
}

func TestRunInteractive(t *testing.T) {
	script := strings.Join([]string{
		"help",
		"applicants",
		"apply acct-1001",
		"supplement r-liu #1 material_unclear please rescan the card",
		"progress acct-1001 1",
		"resubmit acct-1001 1 id-card-front id-card-back",
		"approve r-zhou 1",
		"approve r-liu 1",
		"checks acct-1003 fail document_revoked",
		"apply acct-1003",
		"reapply acct-1003 2",
		"progress acct-1002 1",
		"advance 400d",
		"due",
		"sweep",
		"cases",
		"audit 1",
		"approve r-liu 9",
		"advance soon",
		"frobnicate",
		"quit",
	}, "\n")
	var buf bytes.Buffer
	err := run(&buf, config{Start: start, Rand: rand.NewChaCha8([32]byte{2}), Interactive: true, In: strings.NewReader(script)})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, buf.String())
	}
	out := buf.String()
	want := []string{
		"commands (cases are numbered",
		"acct-1001 王** ",
		"→ case #1 in_review (automatic check: review name_lenient_match), reviewer r-liu",
		"→ case #1 supplement_requested",
		"reviewer's note: please rescan the card",
		"→ case #1 resubmitted",
		"error: review: not_assigned",
		"→ case #1 approved",
		"→ case #2 rejected (automatic check: fail document_revoked), reasons document_revoked",
		"error: review: cooling_off: too many attempts until",
		"error: review: not_found",
		"due for re-review: 1",
		"Expired:1",
		"#1 ", "expired",
		"#2 ", "rejected",
		"import of the tampered export: FAILED at index 7 (hash)",
		"error: no case 9",
		`error: bad duration "soon"`,
		`error: unknown command "frobnicate"`,
	}
	if missing, ok := inOrder(out, want); !ok {
		t.Errorf("interactive output lacks (in order) %q:\n%s", missing, out)
	}
	checkPrivacy(t, out)
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"90m", 90 * time.Minute, false},
		{"36h", 36 * time.Hour, false},
		{"400d", 400 * 24 * time.Hour, false},
		{"0d", 0, false},
		{"-1h", 0, true},
		{"-2d", 0, true},
		{"d", 0, true},
		{"soon", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseDuration(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseDuration(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}
