package relyingparty_test

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/trustid/trustid/relyingparty"
)

// A bank's authorisation request asks for the name and the ID number beyond the result
// (the claims come back in a canonical order);
// the same request with the PKCE method "plain" is refused before anything else is done.
func ExampleParseAuthorizationRequest() {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {"bank"},
		"redirect_uri":          {"https://bank.example/callback"},
		"scope":                 {"openid name id_number"},
		"state":                 {"s-1"},
		"nonce":                 {"n-1"},
		"code_challenge":        {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
		"code_challenge_method": {"S256"},
	}
	req, err := relyingparty.ParseAuthorizationRequest(q)
	fmt.Println(req.ClientID, req.Claims, err)

	q.Set("code_challenge_method", "plain")
	_, err = relyingparty.ParseAuthorizationRequest(q)
	fmt.Println(errors.Is(err, relyingparty.ErrInvalidArgument))
	// Output:
	// bank [id_number name] <nil>
	// true
}
