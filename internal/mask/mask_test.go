package mask_test

import (
	"fmt"
	"testing"

	"github.com/trustid/trustid/internal/mask"
)

func TestMiddle(t *testing.T) {
	for _, tc := range []struct {
		in          string
		first, last int
		want        string
	}{
		// GB 11643-1999 appendix example number, masked the way the library shows ID numbers.
		{"11010519491231002X", 6, 4, "110105********002X"},
		{"E12345678", 2, 2, "E1*****78"},
		{"1234", 2, 2, "****"}, // never shown whole
		{"", 2, 2, ""},
		{"京A12345", 2, 2, "京A***45"},
	} {
		if got := mask.Middle(tc.in, tc.first, tc.last); got != tc.want {
			t.Errorf("Middle(%q, %d, %d) = %q, want %q", tc.in, tc.first, tc.last, got, tc.want)
		}
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":            "张*",
		"阿依古丽·买买提":      "阿***·买**",
		"ERIKSSON ANNA": "E******* A***",
		"𠮷野家":           "𠮷**",
		"王":             "*",
		"":              "",
		"张 伟":           "张 *", // typed with a space: never shown whole
		"J K":           "J *",
		"A·B·C":         "A·*·*",
		"LI<<A":         "L*<<*",
		"王 ":            "* ",
		" 王":            " *",
		"ZHANG WEI":     "Z**** W**",
	} {
		if got := mask.Name(in); got != want {
			t.Errorf("Name(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	if got := mask.Text("北京市东城区景山前街4号"); got != "[12 chars]" {
		t.Errorf("Text = %q", got)
	}
	if got := mask.Text(""); got != "" {
		t.Errorf("Text(\"\") = %q", got)
	}
}

func ExampleMiddle() {
	fmt.Println(mask.Middle("11010519491231002X", 6, 4))
	// Output: 110105********002X
}

type secretish struct{ number string }

func (s secretish) Format(f fmt.State, verb rune) {
	mask.Format(f, verb, mask.Middle(s.number, 6, 4), "pkg.T"+mask.Middle(s.number, 6, 4))
}

func TestFormat(t *testing.T) {
	v := secretish{"11010519491231002X"}
	for verb, want := range map[string]string{
		"%v":  "110105********002X",
		"%+v": "110105********002X",
		"%s":  "110105********002X",
		"%d":  "110105********002X",
		"%x":  "110105********002X",
		"%q":  `"110105********002X"`,
		"%#v": "pkg.T110105********002X",
	} {
		if got := fmt.Sprintf(verb, v); got != want {
			t.Errorf("Sprintf(%s) = %q, want %q", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%v", []secretish{v}); got != "[110105********002X]" {
		t.Errorf("in a slice: %q", got)
	}
}
