import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { GitHost } from '../options';

/** What the pull-request checks need to know of the pipeline's source (not part of the public API). */
export type PullRequestSource =
  | { readonly kind: 'connection'; readonly connectionArn: string; readonly owner: string; readonly repository: string; readonly branch: string; readonly host?: GitHost }
  | { readonly kind: 'codecommit'; readonly repository: codecommit.IRepository; readonly branch: string };
