package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
)

// hashCost is the bcrypt cost of new ADMIN_USERS hashes: about a quarter of
// a second per login on a current CPU, which is what slows down guessing.
const hashCost = 12

// minPasswordChars is the shortest admin password accepted: the login
// limiter slows online guessing, but a leaked ADMIN_USERS hash is guessed
// offline, where only length helps.
const minPasswordChars = 12

// maxPasswordBytes is bcrypt's limit; longer passwords would be cut silently.
const maxPasswordBytes = 72

// hashPassword reads one password from in (without echo when in is a
// terminal, asking twice) and prints its bcrypt hash for ADMIN_USERS. The
// password itself is never printed.
func hashPassword(in *os.File, out, errOut io.Writer) int {
	pw, err := readPassword(in, errOut)
	if err != nil {
		fmt.Fprintln(errOut, "hash-password:", err)
		return exitConfig
	}
	hash, err := bcrypt.GenerateFromPassword(pw, hashCost)
	if err != nil {
		fmt.Fprintln(errOut, "hash-password: cannot hash:", err)
		return exitFailure
	}
	fmt.Fprintln(out, string(hash))
	return 0
}

// readPassword reads the first line of in; from a terminal it prompts on
// errOut and reads twice without echo.
func readPassword(in *os.File, errOut io.Writer) ([]byte, error) {
	var pw []byte
	if fd := int(in.Fd()); term.IsTerminal(fd) {
		first, err := prompt(fd, errOut, "Password: ")
		if err != nil {
			return nil, err
		}
		again, err := prompt(fd, errOut, "Again: ")
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(first, again) {
			return nil, errors.New("the two passwords differ")
		}
		pw = first
	} else {
		data, err := io.ReadAll(io.LimitReader(in, 4096))
		if err != nil {
			return nil, err
		}
		// The first line, without its line ending: `echo 'pw' | smsbridge
		// hash-password` and `echo -n 'pw' | ...` give the same hash.
		line, _, _ := bytes.Cut(data, []byte("\n"))
		pw = bytes.TrimSuffix(line, []byte("\r"))
	}
	switch {
	case len(pw) == 0:
		return nil, errors.New("empty password (write it to stdin)")
	case utf8.RuneCount(bytes.TrimSpace(pw)) < minPasswordChars:
		return nil, fmt.Errorf("the password is shorter than %d characters", minPasswordChars)
	case len(pw) > maxPasswordBytes:
		return nil, fmt.Errorf("the password is longer than %d bytes, which bcrypt cannot use", maxPasswordBytes)
	}
	return pw, nil
}

func prompt(fd int, errOut io.Writer, label string) ([]byte, error) {
	fmt.Fprint(errOut, label)
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(errOut)
	return pw, err
}
