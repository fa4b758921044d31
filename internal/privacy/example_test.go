package privacy_test

import (
	"fmt"

	"github.com/trustid/trustid/internal/privacy"
)

func ExampleLeaks() {
	out := fmt.Sprintf("%x", "张伟")
	fmt.Println(privacy.Leaks(out, "张伟", "110105199003071239"))
	// Output: [张伟]
}
