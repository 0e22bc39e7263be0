package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestProfile_Tags(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.Tags = store.ParseTags(" Contoso, site-2 ,, contoso , Team A&B ")
		p := MustCreateProfile(t, db, in)
		if want := []string{"Contoso", "site-2", "Team A&B"}; !slices.Equal(p.Tags, want) {
			t.Fatalf("got tags %q, want %q (trimmed, repeats dropped without case)", p.Tags, want)
		}
		byName, _ := db.ProfileByName(ctx, in.Name)
		all, _ := db.Profiles(ctx, "")
		if len(all) != 1 || !slices.Equal(all[0].Tags, p.Tags) || !slices.Equal(byName.Tags, p.Tags) {
			t.Fatalf("got %q and %q, want the same tags from every read", all[0].Tags, byName.Tags)
		}
	})
	t.Run("NilKeepsEmptyClears", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.Tags = []string{"contoso"}
		p := MustCreateProfile(t, db, in)
		in.Tags, in.Secret = nil, ""
		if p, _ = db.UpdateProfile(ctx, p.ID, in, "t"); !slices.Equal(p.Tags, []string{"contoso"}) {
			t.Fatalf("got %q, want the tags kept when the input has none (nil)", p.Tags)
		}
		in.Tags = store.ParseTags("")
		if p, _ = db.UpdateProfile(ctx, p.ID, in, "t"); len(p.Tags) != 0 || p.Tags == nil {
			t.Fatalf("got %#v, want an empty, non-nil list after clearing", p.Tags)
		}
	})
	for _, tc := range []struct {
		name, code string
		tags       []string
	}{
		{"ErrTagsTooMany", store.CodeTagsTooMany, strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")},
		{"ErrTagTooLong", store.CodeTagTooLong, []string{strings.Repeat("x", store.MaxTagLength+1)}},
		{"ErrTagFormula", store.CodeTagInvalid, []string{"=HYPERLINK(1)"}},
		{"ErrTagControl", store.CodeTagInvalid, []string{"a\x00b"}},
		{"ErrTagComma", store.CodeTagInvalid, []string{"a;b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			in := validInput()
			in.Tags = tc.tags
			_, err := db.CreateProfile(ctx, in, "t")
			var ve *store.ValidationError
			if !errors.As(err, &ve) || ve.Fields["tags"].Code != tc.code {
				t.Fatalf("got %v, want %s on tags", err, tc.code)
			}
			if n, _ := db.CountProfiles(ctx); n != 0 {
				t.Fatalf("got %d profiles, want nothing saved", n)
			}
			// An update refused leaves the stored tags as they were.
			in.Tags = []string{"kept"}
			p := MustCreateProfile(t, db, in)
			in.Tags = tc.tags
			if _, err := db.UpdateProfile(ctx, p.ID, in, "t"); !errors.As(err, &ve) {
				t.Fatalf("got %v, want the update refused", err)
			}
			if p, _ = db.Profile(ctx, p.ID); !slices.Equal(p.Tags, []string{"kept"}) {
				t.Fatalf("got %q, want the old tags after a refused update", p.Tags)
			}
		})
	}
	t.Run("TagsListed", func(t *testing.T) {
		db := MustOpenDB(t)
		for i, tags := range []string{"Contoso, north", "contoso", "Fabrikam"} {
			in := validInput()
			in.Name = "c" + string(rune('0'+i))
			in.Tags = store.ParseTags(tags)
			MustCreateProfile(t, db, in)
		}
		got, err := db.Tags(ctx)
		if err != nil || len(got) != 3 || !strings.EqualFold(got[0].Tag, "contoso") || got[0].Count != 2 {
			t.Fatalf("got %+v %v, want contoso ×2, Fabrikam, north", got, err)
		}
	})
	t.Run("DeletedWithProfile", func(t *testing.T) {
		db := MustOpenDB(t)
		in := validInput()
		in.Tags = []string{"gone"}
		p := MustCreateProfile(t, db, in)
		if err := db.DeleteProfile(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Tags(ctx); len(got) != 0 {
			t.Fatalf("got %+v, want no tag left by a deleted connection", got)
		}
	})
}
