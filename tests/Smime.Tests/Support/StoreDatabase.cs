using Microsoft.Data.Sqlite;

namespace Smime.Tests.Support;

/// <summary>
/// The SQLite file of a test's store, opened directly: to make it look like an older store, to
/// damage it, or to read what the store wrote.
/// </summary>
public static class StoreDatabase
{
    /// <summary>Opens store/store.db in the folder, without pooling (the file is deleted after).</summary>
    public static SqliteConnection Connect(TempDir dir, string store = "store")
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = dir.File($"{store}/store.db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The column names of a table, in order; none when it does not exist.</summary>
    public static List<string> Columns(TempDir dir, string table)
    {
        using SqliteConnection connection = Connect(dir);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info($t);";
        command.Parameters.AddWithValue("$t", table);
        using SqliteDataReader reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
