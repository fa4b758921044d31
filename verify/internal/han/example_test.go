package han_test

import (
	"fmt"

	"github.com/trustid/trustid/verify/internal/han"
)

// A CJK radical-supplement form maps to its unified ideograph, and a traditional
// character is the same as its simplified form.
func Example() {
	fmt.Println(string(han.Radical('⻄')), han.SameSimplified('張', '张'), han.SameSimplified('張', '王'))
	// Output: 西 true false
}
