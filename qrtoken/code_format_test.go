package qrtoken

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestCodeFormatHidesText checks that no fmt verb and no JSON encoding prints a code's
// text, which is a bearer credential until it expires: %#v used to print the unexported
// text field.
func TestCodeFormatHidesText(t *testing.T) {
	e := newEnv(t)
	code, err := e.issuer.Issue(t.Context(), cafeClaims(), PurposeInternetCafe())
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(code)
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{
		fmt.Sprint(code), fmt.Sprintf("%v|%+v|%#v|%s|%q|%x", code, code, code, code, code, code),
		fmt.Sprintf("%#v", &code), fmt.Sprintf("%#v", []Code{code}), string(j),
	} {
		if strings.Contains(out, code.Text()) || strings.Contains(out, fmt.Sprintf("%x", code.Text())) {
			t.Errorf("output %q contains the code's text", out)
		}
	}
	if want := fmt.Sprintf("qrtoken.Code{online internet-cafe(1) key:1 window:%d chars:%d}", code.Window.Number, len(code.Text())); fmt.Sprintf("%#v", code) != want {
		t.Errorf("%%#v = %q, want %q", fmt.Sprintf("%#v", code), want)
	}
}
