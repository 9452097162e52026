using Microsoft.Data.Sqlite;

namespace Smime.Certificates;

/// <summary>
/// The embedded certificate store: one SQLite file, <c>store.db</c>, under
/// <c>$SMIME_HOME</c>, else <c>~/.smime</c>; the folder is readable by the owner only (0700),
/// the file too (0600). It holds certificates, private keys (only encrypted), trust anchors,
/// CRLs, OCSP responses and what senders' signed mail said about them. Every write is one
/// transaction.
/// </summary>
public sealed partial class CertificateStore : IDisposable
{
    /// <summary>The store's file name inside its folder.</summary>
    public const string FileName = "store.db";

    /// <summary>The schema version this code writes and reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>PBKDF2 iterations for private keys (RFC 8018; OWASP's 2023 figure for SHA-256).</summary>
    public const int DefaultPbkdf2Iterations = 600_000;

    // How long a writer waits for another process's lock before giving up.
    private const int BusyTimeoutSeconds = 10;

    private const UnixFileMode FolderMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SqliteConnection _connection;

    private CertificateStore(string path, SqliteConnection connection, int pbkdf2Iterations)
    {
        Path = path;
        _connection = connection;
        Pbkdf2Iterations = pbkdf2Iterations;
    }

    /// <summary>The store file's full path.</summary>
    public string Path { get; }

    /// <summary>PBKDF2 iterations used when this store encrypts a private key.</summary>
    public int Pbkdf2Iterations { get; }

    /// <summary>The folder the store lives in by default: <c>$SMIME_HOME</c>, else <c>~/.smime</c>.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("SMIME_HOME") is { Length: > 0 } home
            ? home
            : System.IO.Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".smime");

    /// <summary>
    /// Opens the store in <paramref name="directory"/> (default <see cref="DefaultDirectory"/>),
    /// creating the folder and the file, owner-only, when they do not exist.
    /// </summary>
    /// <exception cref="CertificateStoreException">
    /// The file is not an SQLite database, is damaged, or has a newer schema.
    /// </exception>
    public static CertificateStore Open(
        string? directory = null,
        int pbkdf2Iterations = DefaultPbkdf2Iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pbkdf2Iterations, 1);

        string folder = System.IO.Path.GetFullPath(directory ?? DefaultDirectory);
        string path = System.IO.Path.Combine(folder, FileName);
        try
        {
            PrepareFiles(folder, path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw NotWritable(path, e.Message, e);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,

            // Each store closes its file on Dispose, so another process (or a test deleting
            // its folder) never meets a handle left in a pool.
            Pooling = false,
            DefaultTimeout = BusyTimeoutSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};");
            Execute(connection, "PRAGMA foreign_keys = ON;");
            var store = new CertificateStore(path, connection, pbkdf2Iterations);
            store.EnsureSchema();
            store.EnsureOcspSchema();
            return store;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Damaged(path, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection.Dispose();

    private static void PrepareFiles(string folder, string path)
    {
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, FolderMode);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Only when it differs: a store in a folder that cannot be changed (read-only,
        // immutable, another owner's) can still be read.
        SetModeIfDifferent(folder, FolderMode);
        if (!File.Exists(path))
        {
            // Created empty and owner-only before SQLite writes a byte into it; SQLite gives
            // its journal the same mode as the database file.
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }

        SetModeIfDifferent(path, FileMode);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void SetModeIfDifferent(string path, UnixFileMode mode)
    {
        if (File.GetUnixFileMode(path) != mode)
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private void EnsureSchema()
    {
        using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
        bool hasVersionTable = Scalar<long>(transaction,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';") > 0;
        if (hasVersionTable)
        {
            long version = Scalar<long?>(transaction, "SELECT max(version) FROM schema_version;")
                ?? 0;
            if (version > SchemaVersion)
            {
                throw new CertificateStoreException(
                    $"The certificate store '{Path}' has schema version {version}; this smime "
                    + $"reads version {SchemaVersion} at most.");
            }

            if (version == SchemaVersion)
            {
                transaction.Commit();
                return;
            }
        }

        Execute(transaction, CertificateStoreSchema.Version1);
        Execute(transaction, $"INSERT INTO schema_version (version) VALUES ({SchemaVersion});");
        transaction.Commit();
    }

    // SQLITE_BUSY and SQLITE_LOCKED (https://sqlite.org/rescode.html)
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // SQLITE_PERM, SQLITE_READONLY and SQLITE_CANTOPEN: the file or its folder (where the
    // journal goes) cannot be written, as in a read-only or immutable folder.
    private const int SqlitePerm = 3;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;

    private static CertificateStoreException Damaged(string path, SqliteException e) =>
        e.SqliteErrorCode is SqliteBusy or SqliteLocked
            ? new($"The certificate store '{path}' is busy: another process kept it locked "
                + $"for more than {BusyTimeoutSeconds} seconds. Nothing was changed.", e)
            : e.SqliteErrorCode is SqlitePerm or SqliteReadOnly or SqliteCantOpen
            ? NotWritable(path, e.Message, e)
            : new($"The certificate store '{path}' cannot be read: {e.Message.TrimEnd('.')}. "
                + "It may be damaged or not an smime store; move it aside to start a new one.",
                e);

    private static CertificateStoreException NotWritable(string path, string why, Exception e) =>
        new($"The certificate store '{path}' is not writable: {why.TrimEnd('.')}. "
            + "Nothing was changed.", e);

    // Runs a store operation in one transaction: either all of it is written or none of it.
    private T InTransaction<T>(Func<SqliteTransaction, T> work)
    {
        try
        {
            // BEGIN IMMEDIATE: the write lock is taken up front, so two processes never both
            // hold a read lock and wait for each other to upgrade it (SQLite answers that with
            // SQLITE_BUSY at once, whatever the busy timeout).
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            T result = work(transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException e)
        {
            throw Damaged(Path, e);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int Execute(
        SqliteTransaction transaction,
        string sql,
        params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(
        SqliteTransaction transaction,
        string sql,
        params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(transaction, sql, parameters);
        object? value = command.ExecuteScalar();
        if (value is null or DBNull)
        {
            return default!;
        }

        Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(
        SqliteTransaction transaction,
        string sql,
        (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
