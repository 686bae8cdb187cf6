using System.Text.Encodings.Web;

namespace Lambda.Serving.Access;

/// <summary>The page a browser gets instead of an operator page it is not signed in to: a form for an admin key.</summary>
internal static class SignInPage
{
    public static string Html(string action, string problem)
    {
        var encoder = HtmlEncoder.Default;
        return $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Lambda operators: sign in</title></head>
            <body>
            <main>
            <h1>Operators only</h1>
            <p>{encoder.Encode(problem)}</p>
            <form method="post" action="{encoder.Encode(action)}">
            <label>Admin API key <input name="key" type="password" autocomplete="off" required></label>
            <button type="submit">Sign in</button>
            </form>
            </main>
            </body>
            </html>
            """;
    }
}
