package backoffice

import "context"

// Actor is whoever causes a change: a signed-in user, an API token acting for
// a user, or the system itself (jobs, migrations). The change log records it.
type Actor struct {
	UserID  ID     // 0 for the system
	TokenID ID     // set when the request used an API token
	Name    string // e-mail or "system:<job>", for people reading the log
	IP      string // remote address of the request, if any
}

// System returns the actor for work the product does by itself, such as a job.
func System(name string) Actor { return Actor{Name: "system:" + name} }

// Label is a short description of the actor for logs and history panels.
func (a Actor) Label() string {
	switch {
	case a.Name != "" && a.TokenID != 0:
		return a.Name + " (token " + a.TokenID.String() + ")"
	case a.Name != "":
		return a.Name
	case a.UserID != 0:
		return "user " + a.UserID.String()
	}
	return "system"
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the anonymous system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Name: "system"}
}
