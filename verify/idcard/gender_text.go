package idcard

import "fmt"

// MarshalText encodes g as "female", "male" or "" (not given). It refuses any other value.
func (g Gender) MarshalText() ([]byte, error) {
	switch g {
	case 0:
		return []byte{}, nil
	case Female, Male:
		return []byte(g.String()), nil
	}
	return nil, fmt.Errorf("idcard: invalid gender %d", uint8(g))
}

// UnmarshalText decodes "female", "male" or "" (not given).
func (g *Gender) UnmarshalText(b []byte) error {
	switch string(b) {
	case "":
		*g = 0
	case "female":
		*g = Female
	case "male":
		*g = Male
	default:
		return fmt.Errorf("idcard: invalid gender text (%d bytes)", len(b))
	}
	return nil
}
