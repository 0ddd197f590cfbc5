//! The client's file calls (`finance_client::files`) against the real
//! server: the import wizard with the file sent each step (a retried commit
//! imports once), the rejected lines and the export streamed to a writer,
//! a backup written to a file and restored from it.

use finance_api::ErrorCode;
use finance_api::types::{ExportCsvInput, ImportCommitInput, ImportPreviewInput};
use finance_client::files;
use serde_json::json;

use super::client::{input, server_of, sign_up};
use super::harness::Srv;

const CSV: &str = "date,amount,description\n2024-03-01,-1.25,Coffee\n2024-03-02,-4.50,\"Lunch\nwith a line break\"\n2024-03-31,oops,Bad row\n";

pub async fn the_client_drives_the_file_routes(srv: &Srv) {
    let server = server_of(srv);
    let ann = sign_up(&server, "ann").await;
    let file = files::import_inspect(&ann, "march.csv", CSV.as_bytes().to_vec())
        .await
        .expect("inspected");
    assert_eq!(file.file_name, "march.csv");
    let preview: ImportPreviewInput = input(json!({
        "fileId": "", "settings": file.guess, "mappings": []
    }));
    let plan = files::import_preview(&ann, "march.csv", CSV.as_bytes().to_vec(), &preview)
        .await
        .expect("previewed");
    assert_eq!((plan.ready, plan.error_count), (2, 1), "{plan:?}");
    let mut rejects = Vec::new();
    files::import_rejects(
        &ann,
        "march.csv",
        CSV.as_bytes().to_vec(),
        &preview,
        &mut rejects,
    )
    .await
    .expect("rejects written");
    assert!(
        String::from_utf8_lossy(&rejects).contains("Bad row"),
        "the bad line, to fix"
    );
    let mut commit: ImportCommitInput = input(json!({
        "fileId": "", "settings": file.guess, "skipDuplicates": false, "skipErrors": true
    }));
    let e = files::import_commit(&ann, "march.csv", CSV.as_bytes().to_vec(), &commit)
        .await
        .expect_err("a commit needs its key");
    assert_eq!(e.field.as_deref(), Some("idempotencyKey"), "{e:?}");
    commit.idempotency_key = Some("0b6f3c2e-8d1a-4f7e-9c55-2a7d1e4b9f10".into());
    let first = files::import_commit(&ann, "march.csv", CSV.as_bytes().to_vec(), &commit)
        .await
        .expect("imported");
    let retry = files::import_commit(&ann, "march.csv", CSV.as_bytes().to_vec(), &commit)
        .await
        .expect("replayed");
    assert_eq!((first.imported, first.skipped_errors), (2, 1));
    assert_eq!(retry, first, "a retry under the key imports nothing more");

    let mut csv = Vec::new();
    files::export_csv(&ann, ExportCsvInput::default(), &mut csv)
        .await
        .expect("exported");
    let rows = csv::Reader::from_reader(csv.as_slice()).records().count();
    assert_eq!(rows, 2, "the two imported rows, once");

    let mut backup = tempfile::tempfile().expect("a temp file");
    let held = files::backup_now(&ann, Some("a long passphrase"), &mut backup)
        .await
        .expect("backed up");
    assert_eq!(held, 2);
    std::io::Seek::rewind(&mut backup).unwrap();
    let e = files::restore_backup(&ann, backup, Some("a long passphrase"))
        .await
        .expect_err("ann's ledger holds her rows");
    assert_eq!(e.code, ErrorCode::Conflict, "{e:?}");
}
