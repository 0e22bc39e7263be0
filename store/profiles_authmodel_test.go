package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

func TestProfile_AuthModel(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.AuthModel = "rbac"
		p := MustCreateProfile(t, db, in)
		if p.AuthModel != mailer.AuthModelRBAC {
			t.Fatalf("got model %q, want rbac", p.AuthModel)
		}
		req, err := db.Request(ctx, p, "")
		if err != nil || req.AuthModel != mailer.AuthModelRBAC {
			t.Fatalf("got request model %q (%v), want rbac: the check ranks causes by it", req.AuthModel, err)
		}
		in.AuthModel = "permission"
		if p, err = db.UpdateProfile(ctx, p.ID, in, "t"); err != nil || p.AuthModel != mailer.AuthModelPermission {
			t.Fatalf("got %+v %v, want permission after update", p, err)
		}
	})
	t.Run("DefaultUnsure", func(t *testing.T) {
		db := MustOpenDB(t)
		if p := MustCreateProfile(t, db, validInput()); p.AuthModel != mailer.AuthModelUnsure {
			t.Fatalf("got model %q, want unsure when the admin did not say", p.AuthModel)
		}
	})
	t.Run("ErrAuthModelInvalid", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.AuthModel = "basic"
		_, err := db.CreateProfile(ctx, in, "t")
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields["auth_model"].Code != mailer.FieldAuthModelUnknown {
			t.Fatalf("got %v, want a field error on auth_model", err)
		}
		if n, _ := db.CountProfiles(ctx); n != 0 {
			t.Fatalf("got %d profiles, want nothing saved", n)
		}
	})
}
