using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Vpp.Silo.Tests.Api;

namespace Vpp.Silo.Tests.Security;

/// <summary>
/// Outside Development the dashboard needs a key with the read role: scripts send X-Api-Key, a person signs in once
/// on /auth/signin and gets a cookie. The shared test silo runs as Production.
/// </summary>
[Collection(VppApiCollection.Name)]
public sealed partial class DashboardAccessTests(VppApiFixture fixture)
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/ClusterStats")]
    public async Task Without_a_key_a_browser_is_sent_to_the_sign_in_page_and_sees_no_dashboard_data(string path)
    {
        using var client = fixture.ClientWithKey(null);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/auth/signin", response.Headers.Location?.AbsolutePath);
        Assert.Equal($"?returnUrl={Uri.EscapeDataString(path)}", response.Headers.Location?.Query);
    }

    [Fact]
    public async Task A_key_with_the_read_role_in_the_header_opens_the_dashboard()
    {
        using var client = fixture.ClientWithKey(TestKeys.Reader);

        var response = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(TestKeys.Dispatcher)]
    [InlineData(TestKeys.Gateway)]
    [InlineData(TestKeys.Provisioner)]
    public async Task A_key_without_the_read_role_is_refused_401_like_an_unknown_key(string key)
    {
        using var client = fixture.ClientWithKey(key);

        var response = await client.GetAsync("/dashboard/");

        // The same answer as for a key that does not exist: the dashboard must not confirm that a guessed key is real.
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_key_in_the_header_is_refused_401()
    {
        using var client = fixture.ClientWithKey("not-a-key-not-a-key-0001");

        var response = await client.GetAsync("/dashboard/");

        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_person_signs_in_with_a_read_key_gets_a_cookie_and_then_sees_the_dashboard()
    {
        using var browser = Browser();
        var form = await browser.GetStringAsync("/auth/signin?returnUrl=%2Fdashboard%2F");

        var response = await browser.PostAsync("/auth/signin", SignInForm(form, TestKeys.Reader, "/dashboard/"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vpp-dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var dashboard = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        // Signing out ends it.
        var signOutForm = await browser.GetStringAsync("/auth/signin");
        await browser.PostAsync("/auth/signout", SignInForm(signOutForm, "", "/"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/")).StatusCode);
    }

    [Theory]
    [InlineData(TestKeys.Dispatcher)]
    [InlineData("not-a-key-not-a-key-0001")]
    [InlineData("")]
    public async Task Sign_in_with_a_key_that_is_unknown_or_lacks_the_read_role_is_refused_and_sets_no_cookie(string key)
    {
        using var browser = Browser();
        var form = await browser.GetStringAsync("/auth/signin");

        var response = await browser.PostAsync("/auth/signin", SignInForm(form, key, "/dashboard/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("vpp-dashboard=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_the_forms_antiforgery_token_is_refused()
    {
        using var browser = Browser();

        var response = await browser.PostAsync("/auth/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = TestKeys.Reader }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task Sign_in_never_redirects_to_another_site(string returnUrl)
    {
        using var browser = Browser();
        var form = await browser.GetStringAsync("/auth/signin");

        var response = await browser.PostAsync("/auth/signin", SignInForm(form, TestKeys.Reader, returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task In_development_the_dashboard_is_open_but_the_api_still_needs_a_key()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string> { ["VPP_API_KEY"] = "dev-key-with-every-role-1" }, "Development");
        using var client = silo.ClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/")).StatusCode);
        await (await client.GetAsync("/api/v1/fleets/some-fleet")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_address_limit_are_refused_429_even_with_the_right_key()
    {
        await using var silo = await OwnSilo.StartAsync(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:0:Name"] = "reader",
            ["Auth:ApiKeys:0:Key"] = TestKeys.Reader,
            ["Auth:ApiKeys:0:Roles:0"] = "read",
            ["Api:SignInRateLimit:PermitLimit"] = "2",
            ["Api:SignInRateLimit:Window"] = "01:00:00",
        });
        using var browser = silo.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await browser.GetStringAsync("/auth/signin");
        foreach (var guess in new[] { "guess-number-one-000001", "guess-number-two-000002" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/auth/signin", SignInForm(form, guess, "/dashboard/"))).StatusCode);
        }

        var refused = await browser.PostAsync("/auth/signin", SignInForm(form, TestKeys.Reader, "/dashboard/"));

        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/")).StatusCode);
    }

    /// <summary>
    /// Keeps cookies like a browser; does not follow redirects so the test sees each answer. Over HTTPS, as a browser
    /// reaches the silo through its TLS proxy: the sign-in cookie is Secure and is not sent over plain HTTP.
    /// </summary>
    private HttpClient Browser() =>
        fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost"),
        });

    private static FormUrlEncodedContent SignInForm(string page, string key, string returnUrl)
    {
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, $"no antiforgery field in the sign-in page: {page}");
        return new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups["name"].Value] = System.Net.WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["apiKey"] = key,
            ["returnUrl"] = returnUrl,
        });
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken)" value="(?<value>[^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
