//! Every module's rows, re-exported in one place for callers that use several modules. Each row
//! lives beside the trait that reads and writes it (`admin`, `tips`, `links` …). Codes for closed
//! enums are the domain's stable codes, parsed back into domain enums at the storage boundary.

pub use crate::admin::*;
pub use crate::attachments::*;
pub use crate::audit::*;
pub use crate::figures::*;
pub use crate::jobs::*;
pub use crate::links::*;
pub use crate::security::*;
pub use crate::tips::*;
