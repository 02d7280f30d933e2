package adminapi

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestCredentials(t *testing.T) {
	cost4, _ := bcrypt.GenerateFromPassword([]byte("front-desk-password"), 4)
	cost6, _ := bcrypt.GenerateFromPassword([]byte("dr-lee-password"), 6)
	c := newCredentials(map[string]string{"front_desk": string(cost4), "dr_lee": string(cost6)}, []byte("secret"))
	if cost, err := bcrypt.Cost(c.dummy); err != nil || cost != 6 {
		t.Errorf("dummy cost = %d, %v; want the highest configured cost (6), so unknown ids cost as much", cost, err)
	}
	for _, tc := range []struct {
		name, id, password string
		want               bool
	}{
		{"the right password is accepted", "front_desk", "front-desk-password", true},
		{"another admin's password is refused", "front_desk", "dr-lee-password", false},
		{"a wrong password is refused", "dr_lee", "guess", false},
		{"an unknown id is refused", "nobody", "front-desk-password", false},
		{"an empty id is refused", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.verify(tc.id, tc.password); got != tc.want {
				t.Errorf("verify = %v, want %v", got, tc.want)
			}
		})
	}
	if c.isAdmin("nobody") || c.isAdmin("") || !c.isAdmin("dr_lee") {
		t.Error("isAdmin is wrong")
	}
}
