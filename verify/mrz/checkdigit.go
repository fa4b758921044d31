package mrz

// charValue maps an MRZ character to its check-digit value: '0'-'9' are
// 0-9, 'A'-'Z' are 10-35, the filler '<' is 0. Every other byte is -1.
var charValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = int8(c-'A') + 10
	}
	t['<'] = 0
	return t
}()

// weights are the repeating check-digit weights of Doc 9303 Part 3, 4.9.
var weights = [3]int{7, 3, 1}

// CheckDigit returns the ICAO Doc 9303 check digit of s (Part 3, 4.9:
// weights 7, 3, 1 repeating, '<' = 0, A = 10 ... Z = 35, sum modulo 10) as
// an ASCII digit '0'-'9'. A character outside A-Z, 0-9 and '<' returns an
// [*Error] matching [ErrCharacter] with its 1-based Column. The empty string
// has check digit '0'.
func CheckDigit(s string) (byte, error) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v := charValue[s[i]]
		if v < 0 {
			return 0, &Error{Err: ErrCharacter, Field: "check digit input", Column: i + 1}
		}
		sum += int(v) * weights[i%3]
	}
	return byte('0' + sum%10), nil
}

// checkSum accumulates the weighted sum of s, continuing the weight cycle
// at position *n, so that a check digit can be computed over several
// non-contiguous pieces without copying them. s must already be validated.
func checkSum(sum int, n *int, s string) int {
	for i := 0; i < len(s); i++ {
		sum += int(charValue[s[i]]) * weights[*n%3]
		*n++
	}
	return sum
}

// checkDigitOf returns the check digit over the concatenation of pieces.
func checkDigitOf(pieces ...string) byte {
	sum, n := 0, 0
	for _, p := range pieces {
		sum = checkSum(sum, &n, p)
	}
	return byte('0' + sum%10)
}
