package idcard_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify/idcard"
)

// secretPart is the middle of the number, which masking must hide: the
// birth date 19491231 of the GB 11643-1999 Appendix A example.
const secretPart = "19491231"

func TestFormatMasks(t *testing.T) {
	for _, in := range []string{gbExample, gbExample15} {
		n, err := idcard.Parse(in, refNow)
		if err != nil {
			t.Fatal(err)
		}
		type Holder struct{ ID idcard.Number }
		tests := []struct {
			format string
			arg    any
			want   string
		}{
			{"%v", n, "110105********002X"},
			{"%+v", n, "110105********002X"},
			{"%#v", n, "110105********002X"},
			{"%s", n, "110105********002X"},
			{"%q", n, `"110105********002X"`},
			{"%d", n, "110105********002X"},
			{"%x", n, "110105********002X"},
			{"%X", n, "110105********002X"},
			{"%20v", n, "110105********002X"},
			{"%v", &n, "110105********002X"},
			{"%v", []idcard.Number{n}, "[110105********002X]"},
			{"%+v", Holder{n}, "{ID:110105********002X}"},
			{"%#v", Holder{n}, "idcard_test.Holder{ID:110105********002X}"},
			{"%v", map[string]idcard.Number{"a": n}, "map[a:110105********002X]"},
		}
		for _, tc := range tests {
			got := fmt.Sprintf(tc.format, tc.arg)
			if got != tc.want {
				t.Errorf("Sprintf(%q, number) = %q, want %q", tc.format, got, tc.want)
			}
			if strings.Contains(got, secretPart) || strings.Contains(got, in) {
				t.Errorf("Sprintf(%q, number) = %q leaks the number", tc.format, got)
			}
		}
		if got := fmt.Sprint(n); got != "110105********002X" {
			t.Errorf("Sprint = %q", got)
		}
	}
}

// TestUnexportedFieldObscured: fmt cannot call Format on a Number held in
// an unexported field and prints its raw fields; they must not show the
// digits as ASCII codes or text.
func TestUnexportedFieldObscured(t *testing.T) {
	n, err := idcard.Parse(gbExample, refNow)
	if err != nil {
		t.Fatal(err)
	}
	type holder struct{ id idcard.Number }
	var codes []string
	for _, c := range []byte(gbExample) {
		codes = append(codes, fmt.Sprint(c))
	}
	asBytes := strings.Join(codes[6:14], " ") // "49 57 52 57 ..." of 19491231
	for _, f := range []string{"%v", "%+v", "%#v", "%x"} {
		got := fmt.Sprintf(f, holder{n})
		if strings.Contains(got, asBytes) || strings.Contains(got, secretPart) || strings.Contains(got, "3139343931323331") {
			t.Errorf("Sprintf(%q, holder) = %s shows the birth date", f, got)
		}
	}
}

func TestSlogMasks(t *testing.T) {
	n, err := idcard.Parse(gbExample, refNow)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	log.Info("checked", "id", n, slog.Any("any", n), slog.Group("g", "id", n))
	text := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: dropTime}))
	text.Info("checked", "id", n)
	out := buf.String()
	if strings.Contains(out, secretPart) || strings.Contains(out, gbExample) {
		t.Errorf("slog output leaks the number:\n%s", out)
	}
	if got := strings.Count(out, "110105********002X"); got != 4 {
		t.Errorf("slog output has %d masked numbers, want 4:\n%s", got, out)
	}
}

func TestJSONEncodesNothing(t *testing.T) {
	n, err := idcard.Parse(gbExample, refNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct{ ID idcard.Number }{n})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"ID":{}}`; got != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
}

// TestErrorsNeverHoldTheNumber checks error strings of every failing rule,
// through every fmt verb, for a number that differs from a valid one in one
// place only.
func TestErrorsNeverHoldTheNumber(t *testing.T) {
	bad := []string{
		gbExample[:17] + "1",      // checksum
		full("11010519990229002"), // date
		full("11010520270101002"), // future
		full("11019919491231002"), // county
		full("10010519491231002"), // province
		"11010519491231002Y",      // character
		gbExample + "0",           // length
		"110105990229002",         // 15-digit date
	}
	for _, in := range bad {
		_, err := idcard.Parse(in, refNow)
		if err == nil {
			t.Fatalf("Parse(%q) succeeded", in)
		}
		wrapped := fmt.Errorf("enrol: %w", err)
		for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			for _, e := range []error{err, wrapped} {
				got := fmt.Sprintf(f, e)
				if strings.Contains(got, in) || strings.Contains(got, in[6:14]) {
					t.Errorf("Sprintf(%q, err) = %q holds the number", f, got)
				}
			}
		}
		if !errors.Is(wrapped, err) {
			t.Errorf("wrapped error lost its identity")
		}
	}
}

// dropTime removes the time stamp from slog output: its digits could
// contain a secret substring by chance and make a leak test flaky.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}
