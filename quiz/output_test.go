package quiz_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
)

// One made-up person's values, as a host would hold them.
const (
	personAddress = "北京市朝阳区建国路88号"
	personPlate   = "京A12345"
	personSubject = "110105194912310021" // a raw ID number misused as the subject
	issuedToken   = "AQAAAAFtokenSECRETbearer"
)

// leaks returns the forms of the person's values that must not appear in out: each value,
// its distinctive parts, its hex, and its \u-escaped JSON spelling.
func leaks(out string) []string {
	var found []string
	for _, v := range []string{personAddress, personPlate, personSubject, issuedToken} {
		forms := []string{v, hex.EncodeToString([]byte(v)), strings.Trim(strconv.QuoteToASCII(v), `"`)}
		for _, f := range forms {
			if strings.Contains(out, f) {
				found = append(found, f)
			}
		}
	}
	for _, part := range []string{"建国路", "A12345", "19491231", "SECRET"} {
		if strings.Contains(out, part) {
			found = append(found, part)
		}
	}
	return found
}

// maskedValues builds one of each output type around the person's values; the Result
// comes from a real Finish.
func maskedValues(t *testing.T) map[string]any {
	t.Helper()
	addr := quiz.Option{ID: "opt-addr", Text: personAddress}
	plate := quiz.Option{ID: "opt-plate", Text: personPlate}
	nota := quiz.Option{ID: "opt-none", Text: "None of the above", NoneOfTheAbove: true}
	q := quiz.Question{ID: "q-1", Category: quiz.CategoryPreviousAddress, Prompt: "Which?", Options: []quiz.Option{addr, plate, nota}}
	ch := quiz.Challenge{Token: issuedToken, Questions: []quiz.Question{q, q}, Expires: t0.Add(8 * time.Minute)}
	fact := quiz.Fact{Category: quiz.CategoryPreviousAddress, Value: personAddress, ValidFrom: t0.AddDate(-3, 0, 0), Source: "household register"}
	plateFact := quiz.Fact{Category: quiz.CategoryVehiclePlate, Value: personPlate, Static: true}

	h := newHarness(t, nil)
	real := h.begin(t, personSubject)
	res, err := h.ex.Finish(context.Background(), quiz.FinishRequest{Token: real.Token, Answers: quiztest.CorrectAnswers(real, h.facts)})
	if err != nil || !res.QuizPassed() {
		t.Fatalf("Finish = %v, %v", res, err)
	}
	return map[string]any{
		"Option":     addr,
		"*Option":    &plate,
		"[]Option":   []quiz.Option{addr, plate, nota},
		"Question":   q,
		"*Question":  &q,
		"Challenge":  ch,
		"*Challenge": &ch,
		"Fact":       fact,
		"*Fact":      &plateFact,
		"[]Fact":     []quiz.Fact{fact, plateFact},
		"*Result":    res,
		"struct with fields": struct {
			O quiz.Option
			F quiz.Fact
			R *quiz.Result
		}{addr, fact, res},
		"map of fact values":  map[string]quiz.Fact{"home": fact},
		"the challenge Begin": real,
	}
}

// TestOutputMasked: no output form of the types that hold personal data shows it: every
// fmt verb and flag, slog's text and JSON handlers, and encoding/json.
func TestOutputMasked(t *testing.T) {
	for name, v := range maskedValues(t) {
		outs := map[string]string{}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%10.3v", "%T %v"} {
			outs[verb] = fmt.Sprintf(verb, v)
		}
		outs["Sprint"] = fmt.Sprint(v)
		outs["Sprintln"] = fmt.Sprintln(v)
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("quiz", "v", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("quiz", slog.Any("v", v), slog.Group("g", "v", v))
		outs["slog text"] = text.String()
		outs["slog JSON"] = js.String()
		b, err := json.Marshal(v)
		if err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
		}
		outs["json.Marshal"] = string(b)
		for form, out := range outs {
			if found := leaks(out); len(found) > 0 {
				t.Errorf("%s, %s: output %q shows %q", name, form, out, found)
			}
		}
	}
}

// TestOutputForms pins the masked forms, so that a change of what they show is seen.
func TestOutputForms(t *testing.T) {
	addr := quiz.Option{ID: "opt-addr", Text: personAddress}
	nota := quiz.Option{ID: "opt-none", Text: "None", NoneOfTheAbove: true}
	q := quiz.Question{ID: "q-1", Category: quiz.CategoryPreviousAddress, Prompt: "Which?", Options: []quiz.Option{addr, nota}}
	ch := quiz.Challenge{Token: issuedToken, Questions: []quiz.Question{q}, Expires: t0}
	fact := quiz.Fact{Category: quiz.CategoryVehiclePlate, Value: personPlate, Source: "registry", Public: true}
	tests := []struct{ got, want string }{
		{fmt.Sprint(addr), "quiz.Option{opt-addr [12 chars]}"},
		{fmt.Sprintf("%#v", addr), `quiz.Option{ID:"opt-addr", Text:"[12 chars]", NoneOfTheAbove:false}`},
		{fmt.Sprintf("%q", nota), `"quiz.Option{opt-none [4 chars] none-of-the-above}"`},
		{fmt.Sprint(q), "quiz.Question{q-1 previous_address [quiz.Option{opt-addr [12 chars]} quiz.Option{opt-none [4 chars] none-of-the-above}]}"},
		{fmt.Sprint(ch), "quiz.Challenge{[24 chars] 1 questions until 2026-11-23T08:00:00Z}"},
		{fmt.Sprintf("%d", fact), "quiz.Fact{vehicle_plate [7 chars] public}"},
		{fmt.Sprintf("%#v", fact), `quiz.Fact{Category:"vehicle_plate", Value:"[7 chars]", Source:"registry", Static:false, Public:true}`},
		{mustJSON(t, addr), `{"id":"opt-addr","text":"[12 chars]"}`},
		{mustJSON(t, q), `{"id":"q-1","category":"previous_address","prompt":"Which?","options":[{"id":"opt-addr","text":"[12 chars]"},{"id":"opt-none","text":"[4 chars]","none_of_the_above":true}]}`},
		{mustJSON(t, ch), `{"token":"[24 chars]","questions":[{"id":"q-1","category":"previous_address","prompt":"Which?","options":[{"id":"opt-addr","text":"[12 chars]"},{"id":"opt-none","text":"[4 chars]","none_of_the_above":true}]}],"expires":"2026-11-23T08:00:00Z"}`},
		{mustJSON(t, fact), `{"category":"vehicle_plate","value":"[7 chars]","source":"registry","public":true}`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("output form mismatch (-want +got):\n%s", diff)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A typed nil *Result means "not performed", exactly like an untyped nil: its methods
// answer as for a quiz never taken, and none panics.
func TestNilResult(t *testing.T) {
	var r *quiz.Result
	var ev interface {
		Subject() string
		QuizPassed() bool
	} = r // the shape of verify.MemoryEvidence
	if ev.Subject() != "" || ev.QuizPassed() || !r.FinishedAt().IsZero() {
		t.Errorf("nil Result: Subject %q, QuizPassed %v, FinishedAt %v; want \"\", false, zero", ev.Subject(), ev.QuizPassed(), r.FinishedAt())
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("quiz", "result", r)
	b, err := json.Marshal(r)
	got := []string{fmt.Sprint(r), fmt.Sprintf("%#v", r), fmt.Sprintf("%d", r), string(b), strings.TrimSpace(logs.String())}
	want := []string{"quiz.Result(nil)", "(*quiz.Result)(nil)", "quiz.Result(nil)", "null"}
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got[:4]); diff != "" {
		t.Errorf("nil Result output mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(got[4], `"result":{"performed":false}`) {
		t.Errorf("nil Result logs as %s, want performed=false", got[4])
	}
}

// clientVector is the challenge of testdata/client_challenge.json: fixed values, so that
// the client form is checked byte for byte in both directions.
func clientVector() quiz.Challenge {
	return quiz.Challenge{
		Token:   "AQAAAAEtoken",
		Expires: time.Date(2026, 11, 23, 8, 8, 0, 0, time.UTC),
		Questions: []quiz.Question{{
			ID:       "hP3kQ0dN1sXw2Yq7",
			Category: quiz.CategoryVehiclePlate,
			Prompt:   "Which of these number plates is or was on a vehicle registered to you?",
			Options: []quiz.Option{
				{ID: "a1b2c3d4e5f6g7h8", Text: "京C24680"},
				{ID: "i9j0k1l2m3n4o5p6", Text: personPlate},
				{ID: "q7r8s9t0u1v2w3x4", Text: "None of the above", NoneOfTheAbove: true},
			},
		}},
	}
}

// TestClientJSONVector: ClientJSON encodes the vector to exactly the bytes of
// testdata/client_challenge.json, and those bytes decode (strictly: no member the
// documentation does not list) to the vector's fields.
func TestClientJSONVector(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "client_challenge.json"))
	if err != nil {
		t.Fatal(err)
	}
	want = bytes.TrimSpace(want)
	got, err := clientVector().ClientJSON()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("ClientJSON mismatch (-want +got):\n%s", diff)
	}

	type option struct {
		ID             string `json:"id"`
		Text           string `json:"text"`
		NoneOfTheAbove bool   `json:"none_of_the_above"`
	}
	type question struct {
		ID       string        `json:"id"`
		Category quiz.Category `json:"category"`
		Prompt   string        `json:"prompt"`
		Options  []option      `json:"options"`
	}
	var decoded struct {
		Token     string     `json:"token"`
		Expires   time.Time  `json:"expires"`
		Questions []question `json:"questions"`
	}
	dec := json.NewDecoder(bytes.NewReader(want))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&decoded); err != nil {
		t.Fatalf("decoding the vector: %v", err)
	}
	v := clientVector()
	if decoded.Token != v.Token || !decoded.Expires.Equal(v.Expires) || len(decoded.Questions) != 1 {
		t.Fatalf("decoded vector = %+v", decoded)
	}
	q := v.Questions[0]
	wantQ := question{ID: q.ID, Category: q.Category, Prompt: q.Prompt}
	for _, o := range q.Options {
		wantQ.Options = append(wantQ.Options, option(o))
	}
	if diff := cmp.Diff(wantQ, decoded.Questions[0]); diff != "" {
		t.Errorf("decoded question mismatch (-want +got):\n%s", diff)
	}
}

// TestClientJSONCarriesTheQuiz: the client form of a real challenge carries every option
// text (the applicant must see them) in display order, and nothing that tells the right
// option from the others: every option has the same members.
func TestClientJSONCarriesTheQuiz(t *testing.T) {
	h := newHarness(t, nil)
	ch := h.begin(t, "s")
	b, err := ch.ClientJSON()
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Token     string `json:"token"`
		Questions []struct {
			ID      string           `json:"id"`
			Options []map[string]any `json:"options"`
		} `json:"questions"`
	}
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if decoded.Token != ch.Token || len(decoded.Questions) != len(ch.Questions) {
		t.Fatalf("client form has token %v and %d questions", decoded.Token == ch.Token, len(decoded.Questions))
	}
	for i, q := range ch.Questions {
		dq := decoded.Questions[i]
		if dq.ID != q.ID || len(dq.Options) != len(q.Options) {
			t.Fatalf("question %d: client form %+v", i, dq)
		}
		for j, o := range q.Options {
			want := map[string]any{"id": o.ID, "text": o.Text}
			if o.NoneOfTheAbove {
				want["none_of_the_above"] = true
			}
			if diff := cmp.Diff(want, dq.Options[j]); diff != "" {
				t.Errorf("question %d option %d mismatch (-want +got):\n%s", i, j, diff)
			}
		}
	}
}
