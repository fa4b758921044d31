package docnum

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

type personal interface {
	Number() string
	String() string
	LogValue() slog.Value
}

func mustParse[T personal](t *testing.T, v T, err error) personal {
	t.Helper()
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return v
}

// Personal numbers never appear in fmt output (any verb, also nested in a
// struct), in slog output (text and JSON), or in encoding/json output.
func TestMasking(t *testing.T) {
	passport, err := ParsePassport("E12345678")
	p1 := mustParse(t, passport, err)
	foreign, err := ParseForeignPassport("L898902C3")
	p2 := mustParse(t, foreign, err)
	permit, err := ParseHKMacaoResidentsPermit("H1234567800")
	p3 := mustParse(t, permit, err)
	tw, err := ParseTaiwanResidentsPermit("1234567801(B)")
	p4 := mustParse(t, tw, err)
	archive, err := ParseArchiveNumber("110101234567")
	p5 := mustParse(t, archive, err)
	plate, err := ParsePlate("京A·12345")
	p6 := mustParse(t, plate, err)
	vin, err := ParseVIN("1M8GDM9AXKP042788")
	p7 := mustParse(t, vin, err)

	tests := []struct {
		v      personal
		masked string
		hidden []string // substrings that must not appear anywhere
	}{
		{p1, "E1*****78", []string{"E12345678", "12345"}},
		{p2, "L8*****C3", []string{"L898902C3", "98902"}},
		{p3, "H1*******00", []string{"H1234567800", "2345678"}},
		{p4, "12*********B)", []string{"1234567801", "34567"}},
		{p5, "11********67", []string{"110101234567", "01012345"}},
		{p6, "京A·***45", []string{"京A12345", "123"}},
		{p7, "1M8GDM9AXKP******", []string{"1M8GDM9AXKP042788", "042788"}},
	}
	for _, tc := range tests {
		var outputs []string
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%20v", "%-20s"} {
			outputs = append(outputs, fmt.Sprintf(format, tc.v))
		}
		outputs = append(outputs,
			fmt.Sprint(tc.v),
			fmt.Sprintln(tc.v),
			fmt.Sprintf("%+v", struct{ Doc any }{tc.v}),
			fmt.Sprintf("%#v", []any{tc.v}),
			fmt.Sprintf("%v", map[string]any{"doc": tc.v}),
		)
		if got := fmt.Sprintf("%v", tc.v); got != tc.masked {
			t.Errorf("%%v = %q, want %q", got, tc.masked)
		}
		if got := fmt.Sprintf("%q", tc.v); got != fmt.Sprintf("%q", tc.masked) {
			t.Errorf("%%q = %s, want %q", got, tc.masked)
		}

		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("doc", "n", tc.v, "g", slog.Group("in", "n", tc.v))
		slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("doc", "n", tc.v, slog.Any("a", tc.v))
		outputs = append(outputs, text.String(), js.String())
		if !strings.Contains(js.String(), jsonString(tc.masked)) {
			t.Errorf("slog JSON %s lacks the masked form %q", js.String(), tc.masked)
		}
		raw, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(raw))

		for _, out := range outputs {
			for _, h := range append(tc.hidden, tc.v.Number()) {
				if strings.Contains(out, h) {
					t.Errorf("output %q reveals %q", out, h)
				}
			}
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// Parse errors for numbers that are almost right never contain the number.
func TestErrorsDoNotEchoInput(t *testing.T) {
	inputs := map[Format][]string{
		FormatPassport:               {"E1234567X", "E123456789", "X12345678"},
		FormatHKMacaoExitEntryPermit: {"C1234567X", "H12345678"},
		FormatHKMacaoResidentsPermit: {"H123456789", "H12345678X0"},
		FormatTaiwanResidentsPermit:  {"123456789", "1234567801(BB"},
		FormatDrivingLicenceArchive:  {"11010123456X", "1101012345678"},
		FormatPlate:                  {"京A1234I", "台A12345", "京A1234567"},
		FormatVIN:                    {"1M8GDM9A1KP042788", "1M8GDM9AXKP04278I", "1M8GDM9AXKP04278"},
	}
	for k, list := range inputs {
		for _, in := range list {
			err := Validate(k, in)
			if err == nil {
				t.Fatalf("Validate(%v, %q) = nil", k, in)
			}
			msg := fmt.Sprintf("%v %+v %#v %s", err, err, err, fmt.Errorf("wrap: %w", err))
			for i := 0; i+5 <= len(in); i++ {
				if strings.Contains(msg, in[i:i+5]) {
					t.Errorf("error %q reveals %q of the input", msg, in[i:i+5])
				}
			}
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
